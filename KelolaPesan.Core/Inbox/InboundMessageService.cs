using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Automation;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Webhooks;
using KelolaPesan.Core.Workspaces;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Inbox;

/// <summary>
/// Messages and acks reported by the gateway, stored in the inbox: the chat is created or updated, the
/// message stored once, the stored unread counters bumped atomically, and open views told in realtime.
/// Every step is idempotent: events arrive twice, late and out of order.
/// </summary>
public sealed partial class InboundMessageService(
    IKelolaDbFactory dbFactory,
    IWhatsAppGateway gateway,
    IAttachmentStore attachments,
    IRealtimeBus bus,
    TimeProvider clock,
    IInboundAutomation automation,
    AudienceReplies audienceReplies,
    PolicyService policies,
    IngestGate gate,
    IBulkInserter bulk,
    IChatCounters counters,
    ILogger<InboundMessageService> logger)
{
    /// <summary>The name of the soft-delete query filter (KelolaDbContext.SoftDeleteFilter): a deleted chat comes back on a new message.</summary>
    private const string SoftDeleteFilter = "SoftDelete";

    /// <summary>How long an outbound message stored before its send returned may be matched to its own echo.</summary>
    private static readonly TimeSpan EchoWindow = TimeSpan.FromMinutes(2);

    public async Task<InboundOutcome> HandleReceivedAsync(Guid tenantId, Guid workspaceId, string session, GatewayChatMessage received, CancellationToken ct = default)
    {
        var counterpart = received.FromMe ? received.To : received.From;
        // Groups and status broadcasts are not conversations with one customer; the inbox leaves them out.
        if (ChatIds.IsGroup(counterpart) || counterpart.StartsWith("status@", StringComparison.OrdinalIgnoreCase) || string.IsNullOrWhiteSpace(counterpart))
            return InboundOutcome.Ignored;

        // Debug only: where a message's time goes (issue 18: a node's first message was slow after its warm-up).
        var stages = logger.IsEnabled(LogLevel.Debug) ? new StageClock() : null;
        await using var db = dbFactory.CreateForTenant(tenantId);
        if (await db.Messages.AnyAsync(m => m.WorkspaceId == workspaceId && m.ExternalMessageId == received.Id, ct))
            return InboundOutcome.Duplicate;
        stages?.Mark("duplicate check");

        var phone = await ResolvePhoneAsync(db, tenantId, workspaceId, session, counterpart, ct);
        stages?.Mark("phone");
        var externalChatId = phone is not null ? ChatIds.FromPhone(phone) : counterpart.Trim();
        var e164 = phone is not null ? "+" + phone : null;
        // Known before the chat is found: a broadcast's or sequence's own message makes no chat of its own in the lists (docs/adr/0021).
        var origin = received.FromMe ? (await OwnOriginsAsync(db, [(workspaceId, e164, received)], ct))[(workspaceId, received.Id)] : MessageOrigin.Customer;
        var paced = origin is MessageOrigin.Broadcast or MessageOrigin.Sequence;
        var chat = await FindOrCreateChatAsync(tenantId, workspaceId, externalChatId, e164, received.FromMe ? null : received.PushName, ct, broadcastOnly: paced);
        stages?.Mark("chat");

        if (received.FromMe && await ClaimOwnSendAsync(db, chat.Id, received, ct) is { } own)
        {
            await bus.PublishAsync(Topics.Workspace(workspaceId), new ChatMessageStatusChanged(tenantId, workspaceId, chat.Id, own, MessageStatus.Sent));
            return InboundOutcome.Duplicate;
        }

        var now = clock.GetUtcNow();
        var sentAt = received.Timestamp ?? now;
        var message = new Message
        {
            TenantId = tenantId, WorkspaceId = workspaceId, ChatId = chat.Id, ExternalMessageId = received.Id,
            Direction = received.FromMe ? MessageDirection.Outbound : MessageDirection.Inbound,
            Origin = origin,
            SenderName = received.FromMe ? received.PushName : received.PushName ?? chat.DisplayName,
            SenderNumber = received.FromMe ? null : e164,
            Body = Limit(received.Body ?? "", Message.BodyMaxLength),
            Status = received.FromMe ? received.Status ?? MessageStatus.Sent : MessageStatus.Delivered,
            SentAt = sentAt,
            ReplyToExternalId = received.ReplyTo,
        };
        if (received.HasMedia)
            await AttachMediaAsync(db, message, received.Media, ct);

        var preview = InboxService.Preview(message.Body.Length > 0 ? message.Body : received.Media?.FileName ?? "📎");
        var inbound = !received.FromMe;
        var reveal = chat.BroadcastOnly && !paced;
        using (await gate.EnterAsync(ct))
        {
            stages?.Mark("ingest turn");
            try
            {
                await db.InTransactionAsync(async ct =>
                {
                    db.Messages.Add(message);
                    await db.SaveChangesAsync(ct);
                    // The customer replied (or the phone wrote): the chat a broadcast made joins the lists, its history intact.
                    if (reveal)
                        await db.Chats.Where(c => c.Id == chat.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.BroadcastOnly, false), ct);
                    // Our own message moves the preview alone (a count of 0), as in a batch.
                    if (inbound)
                        await CountInboundAsync(db, workspaceId, [new ChatBump(chat.Id, 1, sentAt, sentAt, preview)], ct);
                    else
                        await counters.BumpAsync(db, [new ChatBump(chat.Id, 0, default, sentAt, preview)], ct);
                }, ct);
            }
            catch (DbUpdateException)
            {
                // The unique (workspace, gateway id) index: the same message was stored meanwhile by a redelivery.
                return InboundOutcome.Duplicate;
            }
        }

        stages?.Mark("stored");
        await bus.PublishAsync(Topics.Workspace(workspaceId), new ChatMessageAdded(tenantId, workspaceId, chat.Id, message.Id, message.Direction));
        if (inbound)
            await bus.PublishAsync(Topics.Tenant(tenantId), await UnreadCountEvents.ReadAsync(db, tenantId, workspaceId, logger, ct));
        stages?.Mark("published");
        // Our own messages are no one's reply: the opt-out and bot hooks are for the customer's.
        if (inbound)
        {
            await audienceReplies.HandleInboundAsync(tenantId, workspaceId, e164, message.Body, ct);
            await automation.OnInboundAsync(tenantId, workspaceId, chat.Id, message.Id, ct);
        }
        if (stages is not null)
        {
            stages.Mark("hooks");
            logger.LogDebug("Inbound message {MessageId} stages: {Stages}", received.Id, stages);
        }
        return InboundOutcome.Stored;
    }

    /// <summary>The phone digits of a chat id; a "...@lid" sender through the stored map, else asked of the gateway and remembered.</summary>
    private async Task<string?> ResolvePhoneAsync(IKelolaDb db, Guid tenantId, Guid workspaceId, string session, string chatId, CancellationToken ct)
    {
        if (!ChatIds.IsLid(chatId))
            return ChatIds.ToPhone(chatId);
        var lid = chatId.Trim();
        var known = await db.LidMappings.Where(l => l.WorkspaceId == workspaceId && l.Lid == lid).Select(l => l.PhoneNumber).FirstOrDefaultAsync(ct);
        if (known is not null)
            return known;
        string? phone;
        try
        {
            phone = await gateway.GetPhoneForLidAsync(session, lid, ct);
        }
        catch (GatewayException)
        {
            return null;
        }
        phone = ChatIds.ToPhone(phone is null ? null : ChatIds.Normalize(phone));
        if (phone is null)
            return null;
        await using var write = dbFactory.CreateForTenant(tenantId);
        write.LidMappings.Add(new LidMapping { TenantId = tenantId, WorkspaceId = workspaceId, Lid = lid, PhoneNumber = phone });
        try
        {
            await write.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Stored meanwhile by a concurrent message from the same sender.
        }
        return phone;
    }

    /// <param name="broadcastOnly">The message is a broadcast's or sequence's own: a new chat (or a deleted one coming back) stays out of the lists.</param>
    private async Task<Chat> FindOrCreateChatAsync(Guid tenantId, Guid workspaceId, string externalChatId, string? e164, string? pushName, CancellationToken ct,
        bool broadcastOnly = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = dbFactory.CreateForTenant(tenantId);
            var chat = await db.Chats.IgnoreQueryFilters([SoftDeleteFilter])
                .FirstOrDefaultAsync(c => c.WorkspaceId == workspaceId && c.Channel == Channel.WhatsApp && c.ExternalChatId == externalChatId, ct);
            if (chat is not null)
            {
                if (chat.DeletedAt is not null || (pushName is { Length: > 0 } && chat.DisplayName == e164))
                {
                    if (chat.DeletedAt is not null && broadcastOnly)
                        chat.BroadcastOnly = true;
                    chat.DeletedAt = null;
                    // Titled with its number so far: the contact's name when there is one, else the name the customer gave.
                    if (pushName is { Length: > 0 } && chat.DisplayName == e164)
                        chat.DisplayName = Limit(await ContactNameAsync(db, workspaceId, e164, ct) ?? pushName, Chat.DisplayNameMaxLength);
                    await db.SaveChangesAsync(ct);
                }
                return chat;
            }

            var contact = e164 is null ? null : await db.Contacts.Where(c => c.WorkspaceId == workspaceId && c.Phone == e164)
                .Select(c => new { c.Id, c.Name }).FirstOrDefaultAsync(ct);
            chat = NewChat(tenantId, workspaceId, externalChatId, e164, pushName, contact is null ? null : (contact.Id, contact.Name));
            chat.BroadcastOnly = broadcastOnly;
            db.Chats.Add(chat);
            try
            {
                await db.SaveChangesAsync(ct);
                return chat;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another message of the same new customer created the chat first: read theirs.
            }
        }
    }

    /// <summary>A new customer's chat, named after the contact first (the business named them), then the customer's own name, then the number.</summary>
    private static Chat NewChat(Guid tenantId, Guid workspaceId, string externalChatId, string? e164, string? pushName, (Guid Id, string Name)? contact)
    {
        var name = !string.IsNullOrWhiteSpace(contact?.Name) ? contact.Value.Name : pushName is { Length: > 0 } ? pushName : e164 ?? externalChatId;
        return new Chat
        {
            TenantId = tenantId, WorkspaceId = workspaceId, Channel = Channel.WhatsApp, ExternalChatId = externalChatId,
            PhoneNumber = e164, DisplayName = Limit(name, Chat.DisplayNameMaxLength), LastMessageAt = DateTimeOffset.MinValue, ContactId = contact?.Id,
        };
    }

    private static async Task<string?> ContactNameAsync(IKelolaDb db, Guid workspaceId, string? e164, CancellationToken ct)
    {
        if (e164 is null)
            return null;
        var name = await db.Contacts.Where(c => c.WorkspaceId == workspaceId && c.Phone == e164).Select(c => c.Name).FirstOrDefaultAsync(ct);
        return string.IsNullOrWhiteSpace(name) ? null : name;
    }

    /// <summary>
    /// An echo of a message we sent whose send call has not returned yet: the outbound row stored as Pending
    /// without a gateway id, same chat and text, moments ago. It takes the id instead of a duplicate row.
    /// </summary>
    private async Task<Guid?> ClaimOwnSendAsync(IKelolaDb db, Guid chatId, GatewayChatMessage echo, CancellationToken ct)
    {
        var body = echo.Body ?? "";
        var candidate = (await PendingOwnSendsAsync(db, [chatId], ct)).FirstOrDefault(p => p.Body == body);
        if (candidate is null)
            return null;
        return await TakeGatewayIdAsync(db, candidate.Id, echo.Id, ct) ? candidate.Id : null;
    }

    /// <summary>Writes the echo's gateway id on a send still without one; false when its own call wrote one meanwhile.</summary>
    private static async Task<bool> TakeGatewayIdAsync(IKelolaDb db, Guid messageId, string externalId, CancellationToken ct) =>
        await db.Messages.Where(m => m.Id == messageId && m.ExternalMessageId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ExternalMessageId, externalId), ct) == 1;

    /// <summary>Outbound messages of these chats stored moments ago and still without a gateway id (their send has not returned), oldest first.</summary>
    private async Task<List<PendingOwnSend>> PendingOwnSendsAsync(IKelolaDb db, IReadOnlyCollection<Guid> chatIds, CancellationToken ct)
    {
        var since = clock.GetUtcNow() - EchoWindow;
        return await db.Messages
            // SentAt as well as CreatedAt (a send is stored with both now): the chat's (ChatId, SentAt) index then reads
            // only its last minutes, not a busy chat's whole history.
            .Where(m => chatIds.Contains(m.ChatId) && m.SentAt >= since && m.Direction == MessageDirection.Outbound && m.ExternalMessageId == null
                        && m.CreatedAt >= since)
            .OrderBy(m => m.CreatedAt).Select(m => new PendingOwnSend(m.Id, m.ChatId, m.Body)).ToListAsync(ct);
    }

    private sealed record PendingOwnSend(Guid Id, Guid ChatId, string Body);

    /// <summary>
    /// Who sent each of our own messages that the inbox did not send itself (keyed by workspace and gateway id): a
    /// broadcast or sequence recipient with that gateway id (or, when the echo outruns the write of the id, one being
    /// sent to that number with that text right now), else a person on the phone. One query for the ids of all of them,
    /// one for the numbers of those not found and one for their broadcasts, whichever workspaces of the context's tenant
    /// they are in.
    /// </summary>
    private async Task<Dictionary<(Guid WorkspaceId, string Id), MessageOrigin>> OwnOriginsAsync(IKelolaDb db,
        IReadOnlyList<(Guid WorkspaceId, string? E164, GatewayChatMessage Echo)> echoes, CancellationToken ct)
    {
        var origins = new Dictionary<(Guid WorkspaceId, string Id), MessageOrigin>();
        if (echoes.Count == 0)
            return origins;
        var workspaceIds = echoes.Select(e => e.WorkspaceId).Distinct().ToList();
        var ids = echoes.Select(e => e.Echo.Id).Distinct().ToList();
        var byId = (await db.BroadcastRecipients.Where(r => workspaceIds.Contains(r.WorkspaceId) && ids.Contains(r.ExternalMessageId!))
                .Select(r => new { r.WorkspaceId, r.ExternalMessageId, r.BroadcastId }).ToListAsync(ct))
            .DistinctBy(r => (r.WorkspaceId, r.ExternalMessageId)).ToDictionary(r => (r.WorkspaceId, r.ExternalMessageId!), r => r.BroadcastId);
        // Rare: the echo came back before the dispatcher wrote the recipient's gateway id. Those being sent to the numbers
        // of the others right now, matched by their text below.
        var phones = echoes.Where(e => e.E164 is not null && !byId.ContainsKey((e.WorkspaceId, e.Echo.Id))).Select(e => e.E164!).Distinct().ToList();
        var since = clock.GetUtcNow() - EchoWindow;
        var sending = phones.Count == 0 ? [] : await RecipientQueries.InStatus(db, workspaceIds, RecipientStatus.Sending)
            .Where(r => r.SendingAt >= since && phones.Contains(r.Phone))
            .Select(r => new { r.WorkspaceId, r.Phone, r.RenderedText, r.BroadcastId }).ToListAsync(ct);
        var broadcasts = new Dictionary<(Guid, string), Guid>();
        foreach (var (workspaceId, e164, echo) in echoes)
        {
            if (byId.TryGetValue((workspaceId, echo.Id), out var found))
                broadcasts[(workspaceId, echo.Id)] = found;
            else if (sending.FirstOrDefault(r => r.WorkspaceId == workspaceId && r.Phone == e164 && r.RenderedText == (echo.Body ?? "")) is { } being)
                broadcasts[(workspaceId, echo.Id)] = being.BroadcastId;
        }
        var broadcastIds = broadcasts.Values.Distinct().ToList();
        var sequences = broadcastIds.Count == 0 ? [] : (await db.Broadcasts.Where(b => broadcastIds.Contains(b.Id) && b.SequenceStepId != null)
            .Select(b => b.Id).ToListAsync(ct)).ToHashSet();
        foreach (var (workspaceId, _, echo) in echoes)
        {
            origins[(workspaceId, echo.Id)] = !broadcasts.TryGetValue((workspaceId, echo.Id), out var broadcastId) ? MessageOrigin.Phone
                : sequences.Contains(broadcastId) ? MessageOrigin.Sequence : MessageOrigin.Broadcast;
        }
        return origins;
    }

    /// <summary>Downloads the media into the attachment store; anything wrong is written on the message, never thrown.</summary>
    private async Task AttachMediaAsync(IKelolaDb db, Message message, GatewayMedia? media, CancellationToken ct)
    {
        if (media?.Url is not { } url)
        {
            message.Error = InboundMediaProblem.NotKept();
            return;
        }
        // The limit of the receiving tenant's policy (its licence tier's override, else the default).
        var maxBytes = await AttachmentUploads.MaxBytesAsync(policies, message.TenantId, ct);
        try
        {
            var downloaded = await gateway.DownloadMediaAsync(url, maxBytes, ct);
            using var content = new MemoryStream(downloaded.Content, writable: false);
            var stored = await attachments.SaveAsync(content, maxBytes, ct);
            var mime = Limit(downloaded.MimeType ?? media.MimeType ?? "application/octet-stream", Attachment.MimeTypeMaxLength);
            var name = Limit(downloaded.FileName ?? media.FileName ?? "media", Attachment.FileNameMaxLength);
            var attachment = new Attachment
            {
                TenantId = message.TenantId, WorkspaceId = message.WorkspaceId, OriginalFileName = name, StoredFileName = stored.StorageKey,
                MimeType = mime, SizeBytes = stored.SizeBytes, StorageKey = stored.StorageKey, Kind = KindOf(mime),
            };
            db.Attachments.Add(attachment);
            message.AttachmentId = attachment.Id;
        }
        catch (Exception ex) when (ex is GatewayException or AttachmentTooLargeException or IOException)
        {
            message.Error = Limit(ex is GatewayMediaTooLargeException or AttachmentTooLargeException
                ? InboundMediaProblem.TooLarge(maxBytes)
                : InboundMediaProblem.DownloadFailed(ex.Message), Message.ErrorMaxLength);
        }
    }

    private static AttachmentKind KindOf(string mime) => mime.Split('/')[0] switch
    {
        "image" => AttachmentKind.Image,
        "video" => AttachmentKind.Video,
        "audio" => AttachmentKind.Audio,
        _ when mime is "application/pdf" || mime.Contains("document", StringComparison.Ordinal) => AttachmentKind.Document,
        _ => AttachmentKind.File,
    };

    private static string Limit(string value, int max) => value.Length <= max ? value : value[..max];
}

public enum InboundOutcome { Stored, Duplicate, Ignored }

/// <summary>Milliseconds per named stage, for a debug line.</summary>
internal sealed class StageClock
{
    private readonly List<string> _marks = [];
    private long _last = Stopwatch.GetTimestamp();

    public void Mark(string stage)
    {
        var now = Stopwatch.GetTimestamp();
        _marks.Add($"{stage} {Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds:0}");
        _last = now;
    }

    public override string ToString() => string.Join(", ", _marks) + " ms";
}
