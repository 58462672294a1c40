using FluentValidation;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Inbox;

public sealed partial class InboxService
{
    private static readonly ReplyTextValidator TextValidator = new();
    private static readonly CaptionValidator CaptionRules = new();
    private static readonly Instagram.InstagramDirectTextValidator InstagramText = new();

    /// <summary>
    /// Opening a chat reads it: its counter goes to 0 and the workspace's stored counters go down by what it held,
    /// atomically against inbound messages bumping them at the same time. Returns false when nothing was unread.
    /// </summary>
    public async Task<bool> MarkReadAsync(InboxViewer viewer, Guid chatId, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbFactory.CreateAsync(ct);
            var chat = await VisibleChats(db, viewer).AsNoTracking()
                .Where(c => c.Id == chatId)
                .Select(c => new { c.TenantId, c.WorkspaceId, c.UnreadCount, c.ExternalChatId, c.Channel })
                .FirstOrDefaultAsync(ct) ?? throw new ChatNotFoundException(chatId);
            if (chat.UnreadCount == 0)
                return false;

            var unread = chat.UnreadCount;
            var now = clock.GetUtcNow();
            var cleared = await db.InTransactionAsync(async ct =>
            {
                // Only if no inbound message bumped the counter since it was read; otherwise read it again.
                if (await db.Chats.Where(c => c.Id == chatId && c.UnreadCount == unread)
                        .ExecuteUpdateAsync(s => s.SetProperty(c => c.UnreadCount, 0).SetProperty(c => c.UpdatedAt, now), ct) == 0)
                    return false;
                await db.Workspaces.Where(w => w.Id == chat.WorkspaceId)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(w => w.UnreadMessages, w => w.UnreadMessages > unread ? w.UnreadMessages - unread : 0)
                        .SetProperty(w => w.UnreadChats, w => w.UnreadChats > 0 ? w.UnreadChats - 1 : 0), ct);
                return true;
            }, ct);
            if (!cleared)
            {
                // Nothing was written: the empty transaction committed.
                if (attempt < 20)
                    continue;
                throw new DbUpdateConcurrencyException($"Chat {chatId} kept changing while being marked read.");
            }

            // Read receipts are WhatsApp's: Instagram chats have no gateway session to tell.
            if (chat.Channel == Channel.WhatsApp)
                await MarkReadAtGatewayAsync(db, chat.TenantId, chat.WorkspaceId, chat.ExternalChatId);
            await bus.PublishAsync(Topics.Workspace(chat.WorkspaceId), new ChatChanged(chat.TenantId, chat.WorkspaceId, chatId));
            await bus.PublishAsync(Topics.Tenant(chat.TenantId), await UnreadCountEvents.ReadAsync(db, chat.TenantId, chat.WorkspaceId, logger, ct));
            return true;
        }
    }

    /// <summary>The blue ticks on the customer's phone; a failure is recorded on the workspace, never shown as an error to the agent.</summary>
    private async Task MarkReadAtGatewayAsync(IKelolaDb db, Guid tenantId, Guid workspaceId, string externalChatId)
    {
        var session = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.ExternalSessionId).FirstOrDefaultAsync();
        if (string.IsNullOrEmpty(session))
            return;
        try
        {
            await gateway.MarkChatReadAsync(session, externalChatId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Marking chat read at the gateway failed for workspace {WorkspaceId}", workspaceId);
            db.WorkspaceEvents.Add(new WorkspaceEvent
            {
                TenantId = tenantId, WorkspaceId = workspaceId, Kind = WorkspaceEventKind.Error, At = clock.GetUtcNow(),
                Operation = "MarkChatRead", Message = Truncate(ex.Message, WorkspaceEvent.MessageMaxLength),
            });
            await db.SaveChangesAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Sends an agent's reply now (agent replies are never throttled): stored Pending, handed to the gateway,
    /// then Sent with the gateway's id or Failed with its error. Acks move it further later.
    /// </summary>
    public async Task<MessageView> SendTextAsync(InboxViewer viewer, Guid chatId, string text, CancellationToken ct = default)
    {
        await TextValidator.ValidateAndThrowAsync(text ?? "", ct);
        await using var db = await dbFactory.CreateAsync(ct);
        var (chat, sender) = await ChatToActInAsync(db, viewer, chatId, ct);
        if (chat.Channel == Channel.Instagram)
            await EnsureInstagramSendableAsync(chat, text!, ct);
        var assigned = await AssignOnReplyAsync(db, chat, viewer, ct);
        var message = await StoreOutboundAsync(db, chat, text!, null, Preview(text!), MessageOrigin.Agent, sender, viewer.UserId, ct);
        if (assigned)
            await PublishChatChangedAsync(chat);

        await DeliverAsync(db, chat, message, await SenderForAsync(db, chat, text!));
        return View(message, null);
    }

    /// <summary>
    /// Sends a message the app wrote itself (a bot reply): the same store-then-deliver path as an agent's reply,
    /// marked with its origin, and it does not count as a human reply for the bot's takeover rule.
    /// </summary>
    public async Task<MessageView> SendAutomatedTextAsync(Guid tenantId, Guid chatId, string text, MessageOrigin origin, string? senderName,
        CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateForTenant(tenantId);
        var chat = await db.Chats.FirstOrDefaultAsync(c => c.Id == chatId, ct) ?? throw new ChatNotFoundException(chatId);
        if (chat.Channel == Channel.Instagram)
            await EnsureInstagramSendableAsync(chat, text, ct);
        var message = await StoreOutboundAsync(db, chat, text, null, Preview(text), origin, senderName, null, ct);
        await DeliverAsync(db, chat, message, await SenderForAsync(db, chat, text));
        return View(message, null);
    }

    /// <summary>
    /// Sends a file with an optional caption. The size limit is the tenant's policy's; the type comes from the
    /// file's bytes, not its name. The file is stored first, so what the customer got can always be shown again.
    /// </summary>
    public async Task<MessageView> SendAttachmentAsync(InboxViewer viewer, Guid chatId, OutgoingFile file, string? caption,
        CancellationToken ct = default)
    {
        caption = string.IsNullOrWhiteSpace(caption) ? null : caption;
        await CaptionRules.ValidateAndThrowAsync(caption ?? "", ct);
        await using var db = await dbFactory.CreateAsync(ct);
        var (chat, sender) = await ChatToActInAsync(db, viewer, chatId, ct);
        if (chat.Channel == Channel.Instagram)
            await EnsureInstagramSendableAsync(chat, caption, ct);

        var (attachment, data) = await StoreAttachmentAsync(db, chat.TenantId, chat.WorkspaceId, file.Content, file.FileName,
            await AttachmentUploads.MaxBytesAsync(policies, chat.TenantId, ct), ct);
        Message message;
        bool assigned;
        try
        {
            // The type is known only now, read from the bytes: a file Instagram would refuse is not sent at all.
            if (chat.Channel == Channel.Instagram && Instagram.InstagramDirectFiles.Refusal(attachment.MimeType, attachment.SizeBytes) is { } refusal)
                throw new Instagram.InstagramFileRefusedException(refusal);
            assigned = await AssignOnReplyAsync(db, chat, viewer, ct);
            message = await StoreOutboundAsync(db, chat, caption ?? "", attachment.Id, Preview("📎 " + (caption ?? attachment.OriginalFileName)),
                MessageOrigin.Agent, sender, viewer.UserId, ct);
        }
        catch
        {
            await attachmentStore.DeleteAsync(attachment.StorageKey, CancellationToken.None);
            throw;
        }
        if (assigned)
            await PublishChatChangedAsync(chat);
        await DeliverMediaAsync(db, chat, message, attachment, data, caption);
        return View(message, AttachmentViewOf(attachment));
    }

    /// <summary>An internal note: stored in the conversation for the team, never sent to the customer.</summary>
    public async Task<MessageView> AddNoteAsync(InboxViewer viewer, Guid chatId, string text, CancellationToken ct = default)
    {
        await TextValidator.ValidateAndThrowAsync(text ?? "", ct);
        await using var db = await dbFactory.CreateAsync(ct);
        var (chat, sender) = await ChatToActInAsync(db, viewer, chatId, ct);
        var note = new Message
        {
            TenantId = chat.TenantId, WorkspaceId = chat.WorkspaceId, ChatId = chat.Id,
            Direction = MessageDirection.Note, Origin = MessageOrigin.Agent, Status = MessageStatus.Sent,
            SenderName = sender, SentByUserId = viewer.UserId, Body = text!, SentAt = clock.GetUtcNow(),
        };
        db.Messages.Add(note);
        await db.SaveChangesAsync(ct);
        await bus.PublishAsync(Topics.Workspace(chat.WorkspaceId),
            new ChatMessageAdded(chat.TenantId, chat.WorkspaceId, chat.Id, note.Id, MessageDirection.Note));
        return View(note, null);
    }

    /// <summary>
    /// The upload limit for a workspace of the current tenant: its tenant's effective policy (the licence tier's
    /// override, else the default). Null when the workspace is not found (another tenant's included).
    /// </summary>
    public async Task<long?> MaxAttachmentBytesAsync(Guid workspaceId, CancellationToken ct = default)
    {
        Guid? tenantId;
        await using (var db = await dbFactory.CreateAsync(ct))
            tenantId = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => (Guid?)w.TenantId).FirstOrDefaultAsync(ct);
        return tenantId is { } id ? await AttachmentUploads.MaxBytesAsync(policies, id, ct) : null;
    }

    private async Task<Message> StoreOutboundAsync(IKelolaDb db, Chat chat, string body, Guid? attachmentId,
        string preview, MessageOrigin origin, string? senderName, Guid? userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var message = new Message
        {
            TenantId = chat.TenantId, WorkspaceId = chat.WorkspaceId, ChatId = chat.Id,
            Direction = MessageDirection.Outbound, Origin = origin, Status = MessageStatus.Pending,
            SenderName = senderName, SentByUserId = userId,
            Body = body, AttachmentId = attachmentId, SentAt = now,
        };
        db.Messages.Add(message);
        if (now >= chat.LastMessageAt)
        {
            chat.LastMessageAt = now;
            chat.LastMessagePreview = preview;
        }
        if (origin == MessageOrigin.Agent)
            chat.LastAgentReplyAt = now;
        // Someone wrote in a chat only a broadcast had made: it is a conversation now (docs/adr/0021). An agent's reply
        // in a resolved chat takes the conversation up again; a note, a bot, a broadcast or an API message does not (the
        // customer's answer to it will).
        if (origin is not (MessageOrigin.Broadcast or MessageOrigin.Sequence))
            chat.BroadcastOnly = false;
        var reopened = origin == MessageOrigin.Agent && chat.ResolvedAt is not null;
        if (reopened)
            (chat.ResolvedAt, chat.ResolvedByUserId) = (null, null);
        await db.SaveChangesAsync(ct);
        if (reopened && userId is { } replier)
        {
            await AuditResolvedAsync(db, chat, replier, senderName ?? "", InboxAuditActions.ChatReopened, ChatAuditDetails.ViaReply, ct);
            await bus.PublishAsync(Topics.Workspace(chat.WorkspaceId), new ChatChanged(chat.TenantId, chat.WorkspaceId, chat.Id) { Resolved = false });
        }
        await bus.PublishAsync(Topics.Workspace(chat.WorkspaceId),
            new ChatMessageAdded(chat.TenantId, chat.WorkspaceId, chat.Id, message.Id, MessageDirection.Outbound));
        return message;
    }

    // Past the Pending row nothing is cancelled: a send the gateway accepted must get its id recorded.
    private async Task DeliverAsync(IKelolaDb db, Chat chat, Message message, Func<Task<string>>? send)
    {
        if (send is null)
        {
            message.Status = MessageStatus.Failed;
            message.Error = chat.Channel == Channel.Instagram ? "Instagram_NotConnected" : "Gateway_NoSession";
        }
        else
        {
            try
            {
                message.ExternalMessageId = await send();
                message.Status = MessageStatus.Sent;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Sending a reply failed in workspace {WorkspaceId}", chat.WorkspaceId);
                message.Status = MessageStatus.Failed;
                message.Error = Truncate(ProblemText.Store(Problem.Of("Gateway_SendFailed").WithDetail(ex.Message)), Message.ErrorMaxLength);
            }
        }
        await OwnSendResult.RecordAsync(db, message);
        await bus.PublishAsync(Topics.Workspace(chat.WorkspaceId),
            new ChatMessageStatusChanged(chat.TenantId, chat.WorkspaceId, chat.Id, message.Id, message.Status));
    }

    /// <summary>How a text reaches the chat's customer: the WhatsApp session, or the workspace's Instagram account; null when neither is there.</summary>
    private async Task<Func<Task<string>>?> SenderForAsync(IKelolaDb db, Chat chat, string text)
    {
        if (chat.Channel == Channel.Instagram)
            return instagram is null ? null : () => instagram.SendDirectAsync(chat.TenantId, chat.WorkspaceId, chat.ExternalChatId, text, CancellationToken.None);
        var session = await SessionOfAsync(db, chat.WorkspaceId);
        return session is null ? null : () => gateway.SendTextAsync(new GatewayTextMessage(session, chat.ExternalChatId, text), CancellationToken.None);
    }

    /// <summary>
    /// Instagram refuses a DM outside the 24-hour window or over 1000 bytes: refused here, before anything is stored.
    /// A file's caption (null when there is none) goes out as a DM of its own, so it follows the same rule.
    /// </summary>
    private async Task EnsureInstagramSendableAsync(Chat chat, string? text, CancellationToken ct)
    {
        if (text is not null)
            await InstagramText.ValidateAndThrowAsync(text, ct);
        if (!Instagram.InstagramWindow.IsOpen(chat.LastInboundAt, clock.GetUtcNow()))
            throw new Instagram.InstagramWindowClosedException();
    }

    /// <summary>
    /// Replying takes an unassigned chat (the tenant's setting, on by default): set on the tracked chat, so it is saved
    /// with the reply itself. Notes never assign; a chat someone else holds stays theirs.
    /// </summary>
    private static async Task<bool> AssignOnReplyAsync(IKelolaDb db, Chat chat, InboxViewer viewer, CancellationToken ct)
    {
        if (chat.AssignedUserId is not null
            || !await db.Tenants.Where(t => t.Id == chat.TenantId).Select(t => t.AssignOnReply).FirstOrDefaultAsync(ct))
            return false;
        chat.AssignedUserId = viewer.UserId;
        return true;
    }

    private static Task<string?> SessionOfAsync(IKelolaDb db, Guid workspaceId) =>
        db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.ExternalSessionId).FirstOrDefaultAsync();

    /// <summary>
    /// The chat a member writes in and the name their message carries. A member deactivated since their page opened
    /// writes nowhere (their open page is signed out at once, but a click may already be on its way).
    /// </summary>
    private static async Task<(Chat Chat, string Sender)> ChatToActInAsync(IKelolaDb db, InboxViewer viewer, Guid chatId, CancellationToken ct)
    {
        var sender = await db.Users.Where(u => u.Id == viewer.UserId && u.IsActive).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
        var chat = sender is null ? null : await VisibleChats(db, viewer).FirstOrDefaultAsync(c => c.Id == chatId, ct);
        return chat is null ? throw new ChatNotFoundException(chatId) : (chat, sender!);
    }

    private static MessageView View(Message m, AttachmentView? attachment) =>
        new(m.Id, m.ChatId, m.Direction, m.Origin, m.SenderName, m.Body, m.Status, m.Error, m.SentAt, attachment);

    /// <summary>The chat list's one line: the start of the text, without line breaks or WhatsApp's formatting markers.</summary>
    internal static string Preview(string text)
    {
        // Only the start is shown: a long message is not parsed to its end on the webhook path.
        var start = text.Length > 4 * Chat.PreviewMaxLength ? text[..(4 * Chat.PreviewMaxLength)] : text;
        var line = string.Join(' ', WhatsAppFormatting.Plain(start).Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return Truncate(line, Chat.PreviewMaxLength);
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}

/// <summary>One rule for a reply or a note, used by the composer and any API.</summary>
public sealed class ReplyTextValidator : AbstractValidator<string>
{
    public ReplyTextValidator()
    {
        RuleFor(text => text).NotEmpty().Must(t => !string.IsNullOrWhiteSpace(t)).MaximumLength(Message.BodyMaxLength).OverridePropertyName("Text");
    }
}

public sealed class CaptionValidator : AbstractValidator<string>
{
    public CaptionValidator()
    {
        RuleFor(text => text).MaximumLength(Message.BodyMaxLength).OverridePropertyName("Caption");
    }
}
