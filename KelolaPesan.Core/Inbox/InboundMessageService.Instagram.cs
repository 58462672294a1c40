using KelolaPesan.Core.Instagram;
using KelolaPesan.Core.Realtime;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Inbox;

public sealed partial class InboundMessageService
{
    /// <summary>
    /// An Instagram DM into the live inbox: the chat (external id = the sender's Instagram-scoped id) created or
    /// revived, the message stored once by its mid, counters bumped, the 24-hour window's start remembered, open
    /// views told, and the bot rules asked (they answer through Instagram, not WhatsApp).
    /// </summary>
    public async Task<InboundOutcome> HandleInstagramAsync(Guid tenantId, Guid workspaceId, InstagramDirectItem received, CancellationToken ct = default)
    {
        if (received.IsEcho || string.IsNullOrWhiteSpace(received.SenderId))
            return InboundOutcome.Ignored;
        await using var db = dbFactory.CreateForTenant(tenantId);
        if (await db.Messages.AnyAsync(m => m.WorkspaceId == workspaceId && m.ExternalMessageId == received.MessageId, ct))
            return InboundOutcome.Duplicate;

        var chat = await FindOrCreateInstagramChatAsync(tenantId, workspaceId, received.SenderId, ct);
        var sentAt = received.Time ?? clock.GetUtcNow();
        var message = new Message
        {
            TenantId = tenantId, WorkspaceId = workspaceId, ChatId = chat.Id, ExternalMessageId = received.MessageId,
            Direction = MessageDirection.Inbound, Origin = MessageOrigin.Customer, SenderName = chat.DisplayName,
            Body = Limit(received.Text, Message.BodyMaxLength), Status = MessageStatus.Delivered, SentAt = sentAt,
        };
        var preview = Limit(InboxService.Preview(message.Body.Length > 0 ? message.Body : "📎"), Chat.PreviewMaxLength);
        using (await gate.EnterAsync(ct))
        {
            try
            {
                await db.InTransactionAsync(async ct =>
                {
                    db.Messages.Add(message);
                    await db.SaveChangesAsync(ct);
                    // The 24-hour window runs from LastInboundAt, which the counters never move back for a late delivery.
                    await CountInboundAsync(db, workspaceId, [new ChatBump(chat.Id, 1, sentAt, sentAt, preview)], ct);
                }, ct);
            }
            catch (DbUpdateException)
            {
                return InboundOutcome.Duplicate;
            }
        }

        await bus.PublishAsync(Topics.Workspace(workspaceId), new ChatMessageAdded(tenantId, workspaceId, chat.Id, message.Id, message.Direction));
        await bus.PublishAsync(Topics.Tenant(tenantId), await UnreadCountEvents.ReadAsync(db, tenantId, workspaceId, logger, ct));
        await automation.OnInboundAsync(tenantId, workspaceId, chat.Id, message.Id, ct);
        return InboundOutcome.Stored;
    }

    /// <summary>Named after the commenter's username when a comment told us it, else the id until someone renames it.</summary>
    private async Task<Chat> FindOrCreateInstagramChatAsync(Guid tenantId, Guid workspaceId, string senderId, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = dbFactory.CreateForTenant(tenantId);
            var chat = await db.Chats.IgnoreQueryFilters([SoftDeleteFilter])
                .FirstOrDefaultAsync(c => c.WorkspaceId == workspaceId && c.Channel == Channel.Instagram && c.ExternalChatId == senderId, ct);
            var username = await db.InstagramComments.Where(c => c.WorkspaceId == workspaceId && c.CommenterId == senderId && c.CommenterUsername != null)
                .OrderByDescending(c => c.CommentedAt).Select(c => c.CommenterUsername).FirstOrDefaultAsync(ct);
            if (chat is not null)
            {
                if (chat.DeletedAt is not null || (username is not null && chat.DisplayName == senderId))
                {
                    chat.DeletedAt = null;
                    if (username is not null && chat.DisplayName == senderId)
                        chat.DisplayName = Limit("@" + username, Chat.DisplayNameMaxLength);
                    await db.SaveChangesAsync(ct);
                }
                return chat;
            }
            chat = new Chat
            {
                TenantId = tenantId, WorkspaceId = workspaceId, Channel = Channel.Instagram, ExternalChatId = Limit(senderId, Chat.ExternalChatIdMaxLength),
                DisplayName = Limit(username is null ? senderId : "@" + username, Chat.DisplayNameMaxLength), LastMessageAt = DateTimeOffset.MinValue,
            };
            db.Chats.Add(chat);
            try
            {
                await db.SaveChangesAsync(ct);
                return chat;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another DM of the same new customer created the chat first: read theirs.
            }
        }
    }
}
