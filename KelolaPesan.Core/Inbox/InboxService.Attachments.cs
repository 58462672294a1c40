using FluentValidation;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Inbox;

/// <summary>
/// Attachments, one way in for every sender: the composer, the bot rule editor (a file kept for later replies)
/// and the bot's replies all store files through <see cref="StoreAttachmentAsync"/> (policy size limit, type
/// from the bytes) and send them through <see cref="DeliverMediaAsync"/>: a WhatsApp session, or the Instagram account
/// (by a signed link Meta fetches; only the types and sizes Instagram takes, see <see cref="Instagram.InstagramDirectFiles"/>).
/// </summary>
public sealed partial class InboxService
{
    /// <summary>
    /// Stores a file for a workspace without sending it (a bot rule's attachment, picked in the rule editor).
    /// Same limit and byte-sniffed type as a file sent from the composer.
    /// </summary>
    public async Task<AttachmentView> UploadAttachmentAsync(Guid workspaceId, OutgoingFile file, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var tenantId = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => (Guid?)w.TenantId).FirstOrDefaultAsync(ct)
                       ?? throw new KeyNotFoundException("Workspace not found.");
        var (attachment, _) = await StoreAttachmentAsync(db, tenantId, workspaceId, file.Content, file.FileName,
            await AttachmentUploads.MaxBytesAsync(policies, tenantId, ct), ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            await attachmentStore.DeleteAsync(attachment.StorageKey, CancellationToken.None);
            throw;
        }
        return AttachmentViewOf(attachment);
    }

    /// <summary>A stored attachment of the current tenant's workspace, for showing what a rule will send.</summary>
    public async Task<AttachmentView?> GetAttachmentAsync(Guid workspaceId, Guid attachmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var attachment = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == attachmentId && a.WorkspaceId == workspaceId, ct);
        return attachment is null ? null : AttachmentViewOf(attachment);
    }

    /// <summary>
    /// Sends a stored file with <paramref name="caption"/> as an automated message (a bot reply with the rule's
    /// attachment). The message gets its own copy of the file, so erasing this chat later erases only that copy and
    /// never the rule's file. When the rule's file is gone the text goes out alone rather than nothing.
    /// </summary>
    public async Task<MessageView> SendAutomatedAttachmentAsync(Guid tenantId, Guid chatId, Guid attachmentId, string? caption, MessageOrigin origin,
        string? senderName, CancellationToken ct = default)
    {
        caption = string.IsNullOrWhiteSpace(caption) ? null : caption;
        await CaptionRules.ValidateAndThrowAsync(caption ?? "", ct);
        await using var db = dbFactory.CreateForTenant(tenantId);
        var chat = await db.Chats.FirstOrDefaultAsync(c => c.Id == chatId, ct) ?? throw new ChatNotFoundException(chatId);
        if (chat.Channel == Channel.Instagram)
            await EnsureInstagramSendableAsync(chat, caption, ct);
        var source = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == attachmentId && a.WorkspaceId == chat.WorkspaceId, ct);
        // A rule's file Instagram does not take (a WhatsApp voice note, a Word file): its text still answers the customer.
        if (chat.Channel == Channel.Instagram && source is not null
            && Instagram.InstagramDirectFiles.Refusal(source.MimeType, source.SizeBytes) is { } refusal)
        {
            logger.LogWarning("Instagram does not take attachment {AttachmentId} of an automated reply ({Problem}); sending the text alone",
                attachmentId, refusal.Code);
            return caption is null ? throw new Instagram.InstagramFileRefusedException(refusal) : await SendAutomatedTextAsync(tenantId, chatId, caption, origin, senderName, ct);
        }
        await using var content = source is null ? null : await attachmentStore.OpenReadAsync(source.StorageKey, ct);
        if (source is null || content is null)
        {
            logger.LogWarning("Attachment {AttachmentId} of an automated reply is gone; sending the text alone", attachmentId);
            return caption is null ? throw new FileNotFoundException("The attachment is gone.") : await SendAutomatedTextAsync(tenantId, chatId, caption, origin, senderName, ct);
        }

        var (attachment, data) = await StoreAttachmentAsync(db, chat.TenantId, chat.WorkspaceId, content, source.OriginalFileName, long.MaxValue, ct);
        Message message;
        try
        {
            message = await StoreOutboundAsync(db, chat, caption ?? "", attachment.Id, Preview("📎 " + (caption ?? attachment.OriginalFileName)),
                origin, senderName, null, ct);
        }
        catch
        {
            await attachmentStore.DeleteAsync(attachment.StorageKey, CancellationToken.None);
            throw;
        }
        await DeliverMediaAsync(db, chat, message, attachment, data, caption);
        return View(message, AttachmentViewOf(attachment));
    }

    /// <summary>Stores the file through the one upload path (<see cref="AttachmentUploads"/>) and adds its row to <paramref name="db"/> unsaved.</summary>
    private async Task<(Attachment Attachment, byte[] Data)> StoreAttachmentAsync(IKelolaDb db, Guid tenantId, Guid workspaceId, Stream content,
        string? fileName, long maxBytes, CancellationToken ct)
    {
        var (attachment, data) = await AttachmentUploads.StoreAsync(attachmentStore, tenantId, workspaceId, content, fileName, maxBytes, ct);
        db.Attachments.Add(attachment);
        return (attachment, data);
    }

    private async Task DeliverMediaAsync(IKelolaDb db, Chat chat, Message message, Attachment attachment, byte[] data, string? caption)
    {
        if (chat.Channel == Channel.Instagram)
        {
            // Checked before the message was stored (InstagramDirectFiles.Refusal): the type is one Instagram takes.
            var type = Instagram.InstagramDirectFiles.TypeOf(attachment.MimeType) ?? Instagram.InstagramAttachmentType.File;
            await DeliverAsync(db, chat, message, instagram is null ? null : () => instagram.SendDirectAttachmentAsync(chat.TenantId, chat.WorkspaceId,
                chat.ExternalChatId, type, attachment.Id, attachment.OriginalFileName, caption, CancellationToken.None));
            return;
        }
        var session = await SessionOfAsync(db, chat.WorkspaceId);
        var media = new GatewayMediaMessage(session ?? "", chat.ExternalChatId,
            attachment.Kind == AttachmentKind.Image ? GatewayMediaKind.Image : GatewayMediaKind.File,
            attachment.MimeType, attachment.OriginalFileName, caption, Data: data);
        await DeliverAsync(db, chat, message, session is null ? null : () => gateway.SendMediaAsync(media, CancellationToken.None));
    }

    private static AttachmentView AttachmentViewOf(Attachment a) => new(a.Id, a.OriginalFileName, a.MimeType, a.SizeBytes, a.Kind);
}
