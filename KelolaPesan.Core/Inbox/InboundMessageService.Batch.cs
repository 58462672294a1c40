using KelolaPesan.Core.Automation;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Inbox;

public sealed partial class InboundMessageService
{
    /// <summary>
    /// Whether <see cref="HandleReceivedBatchAsync"/> takes this message: plain customer text from a phone-number
    /// chat. Echoes of our own sends, media, "@lid" senders, groups and status stay on the one-by-one path.
    /// </summary>
    public static bool IsBatchable(GatewayChatMessage m) =>
        !m.FromMe && !m.HasMedia && !ChatIds.IsLid(m.From) && !ChatIds.IsGroup(m.From)
        && !m.From.StartsWith("status@", StringComparison.OrdinalIgnoreCase) && ChatIds.ToPhone(m.From) is not null;

    /// <summary>
    /// The same effect as <see cref="HandleReceivedAsync"/> for each message in order, in one transaction: the
    /// duplicates found with one query, the chats with one, every message inserted in one SaveChanges, and each
    /// chat's counters moved once by the sum of its messages (still increments in SQL, never read-modify-write).
    /// Throws when the batch cannot be stored (e.g. a concurrent redelivery hit the unique index): the caller
    /// then falls back to one by one, which isolates each event. After the commit the opt-out and bot hooks run
    /// for the stored messages, as they do one by one. <paramref name="webhookEvents"/>, the stored webhook events
    /// the batch came from, are marked processed in the same transaction: applied and acknowledged together.
    /// </summary>
    public async Task<IReadOnlyList<InboundOutcome>> HandleReceivedBatchAsync(Guid tenantId, Guid workspaceId, IReadOnlyList<GatewayChatMessage> batch,
        IReadOnlyList<Guid>? webhookEvents = null, CancellationToken ct = default)
    {
        var outcomes = new InboundOutcome[batch.Count];
        await using var db = dbFactory.CreateForTenant(tenantId);
        // Open once for the reads and the write, so the ingest turn below is not spent opening a connection.
        await db.OpenConnectionAsync(ct);
        var ids = batch.Select(m => m.Id).Distinct().ToList();
        var known = (await db.Messages.Where(m => m.WorkspaceId == workspaceId && ids.Contains(m.ExternalMessageId!))
            .Select(m => m.ExternalMessageId!).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);

        // Chats: one query for the batch; a new, deleted or unnamed one goes through the single path's find-or-create.
        var phones = batch.Select(m => ChatIds.ToPhone(m.From)!).ToList();
        var chatIds = phones.Select(ChatIds.FromPhone).Distinct().ToList();
        var chats = await db.Chats.IgnoreQueryFilters([SoftDeleteFilter]).AsNoTracking()
            .Where(c => c.WorkspaceId == workspaceId && c.Channel == Channel.WhatsApp && chatIds.Contains(c.ExternalChatId))
            .ToDictionaryAsync(c => c.ExternalChatId, StringComparer.Ordinal, ct);

        var now = clock.GetUtcNow();
        var stored = new List<(Message Message, string Preview)>();
        var revealed = new List<Guid>();
        for (var i = 0; i < batch.Count; i++)
        {
            var received = batch[i];
            if (!known.Add(received.Id))
            {
                outcomes[i] = InboundOutcome.Duplicate;
                continue;
            }
            var e164 = "+" + phones[i];
            var externalChatId = ChatIds.FromPhone(phones[i]);
            if (!chats.TryGetValue(externalChatId, out var chat) || chat.DeletedAt is not null
                || (received.PushName is { Length: > 0 } && chat.DisplayName == e164))
            {
                chat = await FindOrCreateChatAsync(tenantId, workspaceId, externalChatId, e164, received.PushName, ct);
                chats[externalChatId] = chat;
            }
            var message = new Message
            {
                TenantId = tenantId, WorkspaceId = workspaceId, ChatId = chat.Id, ExternalMessageId = received.Id,
                Direction = MessageDirection.Inbound, Origin = MessageOrigin.Customer,
                SenderName = received.PushName ?? chat.DisplayName, SenderNumber = e164,
                Body = Limit(received.Body ?? "", Message.BodyMaxLength),
                Status = MessageStatus.Delivered, SentAt = received.Timestamp ?? now, ReplyToExternalId = received.ReplyTo,
                CreatedAt = now, UpdatedAt = now,
            };
            var preview = Limit(message.Body.Length > 0 ? message.Body : received.Media?.FileName ?? "📎", Chat.PreviewMaxLength);
            stored.Add((message, preview));
            if (chat.BroadcastOnly && !revealed.Contains(chat.Id))
                revealed.Add(chat.Id);
            outcomes[i] = InboundOutcome.Stored;
        }

        if (stored.Count > 0 || webhookEvents is { Count: > 0 })
        {
            using (await gate.EnterAsync(ct))
            {
                await db.InTransactionAsync(async ct =>
                {
                    if (stored.Count > 0)
                        await StoreAsync(db, workspaceId, stored, ct);
                    // Customers replying to a broadcast: their chats join the lists (docs/adr/0021).
                    if (revealed.Count > 0)
                        await db.Chats.Where(c => revealed.Contains(c.Id)).ExecuteUpdateAsync(s => s.SetProperty(c => c.BroadcastOnly, false), ct);
                    if (webhookEvents is { Count: > 0 })
                        await WhatsAppEventProcessor.MarkProcessedAsync(db, tenantId, webhookEvents, now, ct);
                }, ct);
            }
        }
        if (stored.Count > 0)
        {
            foreach (var (message, _) in stored)
                await bus.PublishAsync(Topics.Workspace(workspaceId), new ChatMessageAdded(tenantId, workspaceId, message.ChatId, message.Id, message.Direction));
            await bus.PublishAsync(Topics.Tenant(tenantId), new UnreadCountsChanged(tenantId, workspaceId));

            // The same hooks as one by one, in the same order: opt-outs and sequence stops first, then the bot.
            await audienceReplies.HandleInboundAsync(tenantId, workspaceId, stored.Select(s => new InboundReply(s.Message.SenderNumber!, s.Message.Body)).ToList(), ct);
            await automation.OnInboundAsync(tenantId, workspaceId, stored.Select(s => new StoredInbound(s.Message.ChatId, s.Message.Id)).ToList(), ct);
        }
        return outcomes;
    }

    /// <summary>The messages in one prepared INSERT (EF's change tracking cost more than the insert), then the counters.</summary>
    private async Task StoreAsync(IKelolaDb db, Guid workspaceId, List<(Message Message, string Preview)> stored, CancellationToken ct)
    {
        await bulk.InsertAsync(db, stored.Select(s => s.Message).ToList(), ct);
        await CountInboundAsync(db, workspaceId, stored.GroupBy(s => s.Message.ChatId).Select(perChat =>
        {
            // One at a time, each message moved the preview forward if not older; the last one not older wins.
            var latest = perChat.Aggregate((a, b) => b.Message.SentAt >= a.Message.SentAt ? b : a);
            return new ChatBump(perChat.Key, perChat.Count(), perChat.Last().Message.SentAt, latest.Message.SentAt, latest.Preview);
        }).ToList(), ct);
    }

    /// <summary>Moves the chats' counters and the workspace's unread counters for newly stored inbound messages (in the caller's transaction).</summary>
    private async Task CountInboundAsync(IKelolaDb db, Guid workspaceId, IReadOnlyList<ChatBump> bumps, CancellationToken ct)
    {
        var newUnreadChats = await counters.BumpAsync(db, bumps, ct);
        var messages = bumps.Sum(b => b.Count);
        await db.Workspaces.Where(w => w.Id == workspaceId).ExecuteUpdateAsync(s => s
            .SetProperty(w => w.UnreadMessages, w => w.UnreadMessages + messages)
            .SetProperty(w => w.UnreadChats, w => w.UnreadChats + newUnreadChats), ct);
    }
}
