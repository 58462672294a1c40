using System.Security.Cryptography;
using System.Text;
using KelolaPesan.Core.Inbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QRCoder;

namespace KelolaPesan.Core.Gateways;

/// <summary>
/// An in-process gateway so the product can be tried without a phone. Sessions wait for a fake QR
/// scan (<see cref="ScanAsync"/>), sends are acked Delivered then Read after short random delays, and
/// <see cref="SimulateInboundAsync"/> plays a customer. Every event goes to the registered
/// <see cref="IGatewayEventSink"/>, the same path real webhooks take; the sink is resolved in a
/// fresh scope per event, so it may be scoped.
/// </summary>
/// <remarks>
/// Number rules: a number whose last digit is 0 is not on WhatsApp. <see cref="CheckNumberAsync"/>
/// answers NotRegistered for it, and a send to it is accepted and then acked Failed.
/// </remarks>
public sealed class SimulatorGateway(TimeProvider time, IServiceScopeFactory scopes, ILogger<SimulatorGateway> logger)
    : IWhatsAppGateway, IDisposable
{
    public static readonly TimeSpan QrRotation = TimeSpan.FromSeconds(20);
    public const int MessagesKeptPerSession = 500;
    public const string MediaUrlPrefix = "sim://media/";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, SimulatedSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _phoneByLid = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, GatewayDownloadedMedia> _media = new(StringComparer.Ordinal);
    private readonly HashSet<ITimer> _timers = [];
    private bool _disposed;

    public async Task EnsureSessionAsync(GatewaySessionSetup setup, CancellationToken ct)
    {
        SessionStatusChanged? changed;
        lock (_lock)
        {
            if (!_sessions.TryGetValue(setup.Name, out var session))
            {
                session = new SimulatedSession(setup.Name);
                _sessions.Add(setup.Name, session);
            }
            session.Metadata = new Dictionary<string, string>(setup.Metadata);
            changed = Start(session);
        }
        await RaiseAsync(changed, ct);
    }

    /// <summary>
    /// Puts a session back as already paired with <paramref name="phone"/> (the simulator forgets its sessions
    /// on restart; the app re-pairs workspaces that were connected). Raises Working, never a QR.
    /// </summary>
    public async Task RestoreConnectedAsync(GatewaySessionSetup setup, string phone, string? pushName, CancellationToken ct = default)
    {
        SessionStatusChanged? changed;
        lock (_lock)
        {
            if (!_sessions.TryGetValue(setup.Name, out var session))
            {
                session = new SimulatedSession(setup.Name);
                _sessions.Add(setup.Name, session);
            }
            session.Metadata = new Dictionary<string, string>(setup.Metadata);
            var chatId = ChatIds.FromPhone(phone);
            session.Me ??= new GatewayAccount(chatId, pushName, ChatIds.ToPhone(chatId));
            changed = Start(session);
        }
        await RaiseAsync(changed, ct);
    }

    public Task<GatewaySessionInfo> GetSessionAsync(string session, CancellationToken ct)
    {
        lock (_lock)
        {
            var s = Find("GetSession", session);
            return Task.FromResult(new GatewaySessionInfo(s.Name, s.Status, s.Me));
        }
    }

    public async Task StartSessionAsync(string session, CancellationToken ct)
    {
        SessionStatusChanged? changed;
        lock (_lock)
            changed = Start(Find("StartSession", session));
        await RaiseAsync(changed, ct);
    }

    public async Task StopSessionAsync(string session, CancellationToken ct)
    {
        SessionStatusChanged? changed;
        lock (_lock)
            changed = Move(Find("StopSession", session), GatewaySessionStatus.Stopped);
        await RaiseAsync(changed, ct);
    }

    public async Task RestartSessionAsync(string session, CancellationToken ct)
    {
        SessionStatusChanged? changed;
        lock (_lock)
        {
            var s = Find("RestartSession", session);
            Move(s, GatewaySessionStatus.Stopped);
            changed = Start(s);
        }
        await RaiseAsync(changed, ct);
    }

    public async Task LogoutSessionAsync(string session, CancellationToken ct)
    {
        SessionStatusChanged? changed = null;
        lock (_lock)
        {
            var s = Find("LogoutSession", session);
            s.Me = null;
            // Like WAHA: a running session restarts and asks for a new scan.
            if (s.Status != GatewaySessionStatus.Stopped)
                changed = Move(s, GatewaySessionStatus.ScanQr, force: true);
        }
        await RaiseAsync(changed, ct);
    }

    public Task DeleteSessionAsync(string session, CancellationToken ct)
    {
        lock (_lock)
        {
            if (_sessions.Remove(session, out var s))
                StopQrRotation(s);
        }
        return Task.CompletedTask;
    }

    public Task<GatewayQrCode?> GetQrCodeAsync(string session, CancellationToken ct)
    {
        lock (_lock)
        {
            var s = Find("GetQrCode", session);
            if (s.Status != GatewaySessionStatus.ScanQr || s.QrValue is null)
                return Task.FromResult<GatewayQrCode?>(null);
            s.QrPng ??= RenderQr(s.QrValue);
            return Task.FromResult<GatewayQrCode?>(new GatewayQrCode(s.QrValue, s.QrPng));
        }
    }

    /// <summary>Plays the phone scanning the QR code: the session becomes Working as <paramref name="phone"/>.</summary>
    public async Task ScanAsync(string session, string phone, string? pushName, CancellationToken ct = default)
    {
        SessionStatusChanged? changed;
        lock (_lock)
        {
            var s = Find("Scan", session);
            if (s.Status != GatewaySessionStatus.ScanQr)
                throw new GatewayException("Scan", $"session '{session}' is {s.Status}, not waiting for a scan", 422, isTransient: false);
            var chatId = ChatIds.FromPhone(phone);
            s.Me = new GatewayAccount(chatId, pushName, ChatIds.ToPhone(chatId));
            changed = Move(s, GatewaySessionStatus.Working);
        }
        await RaiseAsync(changed, ct);
    }

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

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            foreach (var timer in _timers)
                timer.Dispose();
            _timers.Clear();
            foreach (var session in _sessions.Values)
                StopQrRotation(session);
        }
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

    private SessionStatusChanged? Start(SimulatedSession s) =>
        s.Status is GatewaySessionStatus.Stopped or GatewaySessionStatus.Failed
            ? Move(s, s.Me is null ? GatewaySessionStatus.ScanQr : GatewaySessionStatus.Working)
            : null;

    /// <summary>Changes the status and returns the event to raise, or null when nothing changed.</summary>
    private SessionStatusChanged? Move(SimulatedSession s, GatewaySessionStatus status, bool force = false)
    {
        if (s.Status == status && !force)
            return null;
        s.Status = status;
        StopQrRotation(s);
        if (status == GatewaySessionStatus.ScanQr)
        {
            NewQr(s);
            s.QrTimer = time.CreateTimer(_ => RotateQr(s.Name), null, QrRotation, QrRotation);
        }
        return new SessionStatusChanged(NewEventId(), s.Name, s.Metadata, status, s.Me);
    }

    private void RotateQr(string name)
    {
        SessionStatusChanged? changed = null;
        lock (_lock)
        {
            if (_sessions.TryGetValue(name, out var s) && s.Status == GatewaySessionStatus.ScanQr)
            {
                NewQr(s);
                // WAHA repeats SCAN_QR_CODE on every new code; the page re-fetches on it.
                changed = new SessionStatusChanged(NewEventId(), s.Name, s.Metadata, GatewaySessionStatus.ScanQr, null);
            }
        }
        if (changed is not null)
            _ = RaiseInBackgroundAsync(changed);
    }

    private static void NewQr(SimulatedSession s)
    {
        s.QrValue = $"kelola-sim:{s.Name}:{Guid.NewGuid():N}";
        s.QrPng = null;
    }

    private static void StopQrRotation(SimulatedSession s)
    {
        s.QrTimer?.Dispose();
        s.QrTimer = null;
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

    private async Task RaiseInBackgroundAsync(GatewayEvent evt)
    {
        try
        {
            await RaiseAsync(evt, CancellationToken.None);
        }
        catch (ObjectDisposedException ex)
        {
            // Mostly the app stopping between a timer's start and its event (a send's ack due seconds later): a real
            // gateway's webhook would find no one listening either. Not an error to page anyone about.
            logger.LogDebug(ex, "The simulated {EventType} for session {Session} found the app stopped", evt.GetType().Name, evt.Session);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The gateway event sink failed on simulated {EventType} for session {Session}", evt.GetType().Name, evt.Session);
        }
    }

    private async Task RaiseAsync(GatewayEvent? evt, CancellationToken ct)
    {
        if (evt is null)
            return;
        await using var scope = scopes.CreateAsyncScope();
        var sink = scope.ServiceProvider.GetService<IGatewayEventSink>();
        if (sink is null)
        {
            logger.LogWarning("No IGatewayEventSink is registered; simulated {EventType} dropped", evt.GetType().Name);
            return;
        }
        await sink.OnEventAsync(evt, ct);
    }

    private SimulatedSession Find(string operation, string session) =>
        _sessions.TryGetValue(session, out var s)
            ? s
            : throw new GatewayException(operation, $"no session '{session}'", 404, isTransient: false);

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

    private static string NewEventId() => "sim_evt_" + Guid.CreateVersion7().ToString("N");

    private static byte[] RenderQr(string value)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(value, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(8);
    }

    private sealed class SimulatedSession(string name)
    {
        public string Name { get; } = name;
        public IReadOnlyDictionary<string, string> Metadata { get; set; } = new Dictionary<string, string>();
        public GatewaySessionStatus Status { get; set; } = GatewaySessionStatus.Stopped;
        public GatewayAccount? Me { get; set; }
        public string? QrValue { get; set; }
        public byte[]? QrPng { get; set; }
        public ITimer? QrTimer { get; set; }
        public List<GatewayChatMessage> Messages { get; } = [];
    }
}
