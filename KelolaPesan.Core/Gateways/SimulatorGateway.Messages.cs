using System.Security.Cryptography;
using System.Text;
using KelolaPesan.Core.Inbox;

namespace KelolaPesan.Core.Gateways;

/// <summary>The simulator's messages: sends with their echo and acks on timers, customers' messages, media, numbers.</summary>
public sealed partial class SimulatorGateway
{
    public Task<string> SendTextAsync(GatewayTextMessage message, CancellationToken ct) =>
        Task.FromResult(Send("SendText", message.Session, message.To, message.Text, null, message.ReplyToMessageId));

    public Task<string> SendMediaAsync(GatewayMediaMessage message, CancellationToken ct)
    {
        var operation = message.Kind == GatewayMediaKind.Image ? "SendImage" : "SendFile";
        message.EnsureValid();
        string? url = message.Url;
        if (message.Data is not null)
        {
            url = MediaUrlPrefix + Guid.NewGuid().ToString("N");
            lock (_lock)
                _media[url] = new GatewayDownloadedMedia(message.Data, message.MimeType, message.FileName);
        }
        return Task.FromResult(Send(operation, message.Session, message.To, message.Caption, new GatewayMedia(url, message.MimeType, message.FileName), null));
    }

    /// <summary>Plays a customer writing to the session; the message reaches the sink like a real webhook would.</summary>
    /// <param name="viaLid">Send from a "...@lid" id instead of the phone chat id (resolvable with <see cref="GetPhoneForLidAsync"/>).</param>
    /// <returns>The message id.</returns>
    public Task<string> SimulateInboundAsync(string session, string fromPhone, string? pushName, string text, bool viaLid = false, CancellationToken ct = default) =>
        ReceiveAsync(session, fromPhone, pushName, text, null, viaLid, ct);

    /// <summary>Plays a customer sending an image or file; its URL can be fetched with <see cref="DownloadMediaAsync"/>.</summary>
    public Task<string> SimulateInboundMediaAsync(string session, string fromPhone, string? pushName, string? caption, byte[] content, string mimeType, string? fileName, CancellationToken ct = default)
    {
        var url = MediaUrlPrefix + Guid.NewGuid().ToString("N");
        lock (_lock)
            _media[url] = new GatewayDownloadedMedia(content, mimeType, fileName);
        return ReceiveAsync(session, fromPhone, pushName, caption, new GatewayMedia(url, mimeType, fileName), viaLid: false, ct);
    }

    public Task MarkChatReadAsync(string session, string chatId, CancellationToken ct)
    {
        var chat = ChatIds.Normalize(chatId);
        lock (_lock)
        {
            var s = Find("MarkChatRead", session);
            for (var i = 0; i < s.Messages.Count; i++)
            {
                if (!s.Messages[i].FromMe && s.Messages[i].From == chat)
                    s.Messages[i] = s.Messages[i] with { Status = MessageStatus.Read };
            }
        }
        return Task.CompletedTask;
    }

    public Task<GatewayNumberCheck> CheckNumberAsync(string session, string phone, CancellationToken ct)
    {
        var chatId = ChatIds.FromPhone(phone);
        lock (_lock)
            Find("CheckNumber", session);
        return Task.FromResult(IsRegistered(chatId)
            ? new GatewayNumberCheck(NumberRegistration.Registered, chatId)
            : new GatewayNumberCheck(NumberRegistration.NotRegistered, null));
    }

    public Task<IReadOnlyList<GatewayChatMessage>> GetChatMessagesAsync(string session, string chatId, int limit, bool? fromMe, CancellationToken ct)
    {
        var chat = ChatIds.Normalize(chatId);
        lock (_lock)
        {
            var s = Find("GetChatMessages", session);
            IReadOnlyList<GatewayChatMessage> messages = s.Messages
                .Where(m => (m.FromMe ? m.To : m.From) == chat && (fromMe is null || m.FromMe == fromMe))
                .Reverse()
                .Take(limit)
                .ToList();
            return Task.FromResult(messages);
        }
    }

    public Task<string?> GetPhoneForLidAsync(string session, string lid, CancellationToken ct)
    {
        lock (_lock)
        {
            Find("GetPhoneForLid", session);
            return Task.FromResult(_phoneByLid.GetValueOrDefault(lid));
        }
    }

    public Task<GatewayDownloadedMedia> DownloadMediaAsync(string url, long maxBytes, CancellationToken ct)
    {
        GatewayDownloadedMedia? media;
        lock (_lock)
            media = _media.GetValueOrDefault(url);
        if (media is null)
            throw new GatewayException("DownloadMedia", $"no simulated media at '{url}'", 404, isTransient: false);
        if (media.Content.LongLength > maxBytes)
            throw new GatewayMediaTooLargeException("DownloadMedia", maxBytes);
        return Task.FromResult(media);
    }

    private string Send(string operation, string session, string to, string? text, GatewayMedia? media, string? replyTo)
    {
        var chatId = ChatIds.Normalize(to);
        var id = "sim_" + Guid.NewGuid().ToString("N");
        lock (_lock)
        {
            var s = Find(operation, session);
            if (s.Status != GatewaySessionStatus.Working || s.Me is null)
                throw new GatewayException(operation, $"session '{session}' is {s.Status}, not Working", 422, isTransient: false);

            var message = new GatewayChatMessage(id, time.GetUtcNow(), s.Me.Id, chatId, FromMe: true, text, media is not null, media,
                MessageStatus.Sent, replyTo, s.Me.PushName);
            Store(s, message);

            if (!AcknowledgesSends)
                return id;
            // A real gateway echoes its own sends as "message.any" with fromMe, often before the send call has returned.
            Schedule(TimeSpan.FromMilliseconds(100), () => Echo(session, id));
            var delivered = RandomDelay(0.5, 2);
            var read = TimeSpan.FromTicks(Math.Max(RandomDelay(1, 4).Ticks, (delivered + TimeSpan.FromMilliseconds(250)).Ticks));
            if (IsRegistered(chatId))
            {
                Schedule(delivered, () => Ack(session, id, MessageStatus.Delivered));
                Schedule(read, () => Ack(session, id, MessageStatus.Read));
            }
            else
            {
                Schedule(delivered, () => Ack(session, id, MessageStatus.Failed));
            }
        }
        return id;
    }

    private async Task<string> ReceiveAsync(string session, string fromPhone, string? pushName, string? text, GatewayMedia? media, bool viaLid, CancellationToken ct)
    {
        var phoneChat = ChatIds.FromPhone(fromPhone);
        var id = "sim_in_" + Guid.NewGuid().ToString("N");
        MessageReceived received;
        lock (_lock)
        {
            var s = Find("SimulateInbound", session);
            if (s.Status != GatewaySessionStatus.Working || s.Me is null)
                throw new GatewayException("SimulateInbound", $"session '{session}' is {s.Status}, not Working", 422, isTransient: false);
            var from = phoneChat;
            if (viaLid)
            {
                from = LidFor(phoneChat);
                _phoneByLid[from] = ChatIds.ToPhone(phoneChat)!;
            }
            var message = new GatewayChatMessage(id, time.GetUtcNow(), from, s.Me.Id, FromMe: false, text, media is not null, media,
                Status: null, ReplyTo: null, pushName);
            Store(s, message);
            received = new MessageReceived(NewEventId(), s.Name, s.Metadata, message);
        }
        await RaiseAsync(received, ct);
        return id;
    }

    private MessageReceived? Echo(string session, string messageId)
    {
        if (!_sessions.TryGetValue(session, out var s) || s.Messages.Find(m => m.Id == messageId) is not { } message)
            return null;
        return new MessageReceived(NewEventId(), s.Name, s.Metadata, message);
    }

    private MessageAcked? Ack(string session, string messageId, MessageStatus status)
    {
        if (!_sessions.TryGetValue(session, out var s))
            return null;
        var index = s.Messages.FindIndex(m => m.Id == messageId);
        if (index < 0)
            return null;
        var message = s.Messages[index];
        s.Messages[index] = message with { Status = status };
        return new MessageAcked(NewEventId(), s.Name, s.Metadata, messageId, message.To, FromMe: true, status);
    }

    private void Schedule(TimeSpan delay, Func<GatewayEvent?> fire)
    {
        ITimer? timer = null;
        lock (_lock)
        {
            if (_disposed)
                return;
            timer = time.CreateTimer(_ =>
            {
                GatewayEvent? evt;
                lock (_lock)
                {
                    if (!_timers.Remove(timer!))
                        return;
                    evt = fire();
                }
                timer!.Dispose();
                if (evt is not null)
                    _ = RaiseInBackgroundAsync(evt);
            }, null, delay, Timeout.InfiniteTimeSpan);
            _timers.Add(timer);
        }
    }

    private static void Store(SimulatedSession s, GatewayChatMessage message)
    {
        s.Messages.Add(message);
        if (s.Messages.Count > MessagesKeptPerSession)
            s.Messages.RemoveAt(0);
    }

    private static bool IsRegistered(string chatId) => ChatIds.ToPhone(chatId) is not { } phone || !phone.EndsWith('0');

    /// <summary>A stable fake LID per phone, so the same customer always gets the same one.</summary>
    private static string LidFor(string phoneChatId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(phoneChatId));
        return $"{BitConverter.ToUInt64(hash) % 900_000_000_000_000 + 100_000_000_000_000}{ChatIds.LidSuffix}";
    }

    private static TimeSpan RandomDelay(double minSeconds, double maxSeconds) =>
        TimeSpan.FromSeconds(minSeconds + Random.Shared.NextDouble() * (maxSeconds - minSeconds));
}
