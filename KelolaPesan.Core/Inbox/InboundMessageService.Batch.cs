using KelolaPesan.Core.Automation;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Webhooks;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

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
    /// The same effect as <see cref="HandleReceivedAsync"/> for each message in order, in one transaction (one workspace's
    /// share of <see cref="HandleReceivedBatchesAsync"/>). <paramref name="webhookEvents"/>, the stored webhook events the
    /// batch came from, are marked processed in the same transaction: applied and acknowledged together.
    /// </summary>
    public async Task<IReadOnlyList<InboundOutcome>> HandleReceivedBatchAsync(Guid tenantId, Guid workspaceId, IReadOnlyList<GatewayChatMessage> batch,
        IReadOnlyList<Guid>? webhookEvents = null, CancellationToken ct = default) =>
        (await HandleReceivedBatchesAsync([new ReceivedBatch(tenantId, workspaceId, batch, webhookEvents)], ct))[0];

    /// <summary>
    /// Several workspaces' batches (of any tenants) applied in ONE transaction on one connection: traffic spread over many
    /// workspaces otherwise paid a whole transaction per event (docs/adr/0026). Per batch, the same effect as
    /// <see cref="HandleReceivedAsync"/> for each message in order: the duplicates and the chats found with one query per
    /// tenant, every message inserted in one statement, each chat's counters moved once by the sum of its messages (still
    /// increments in SQL, never read-modify-write), each batch's webhook events marked processed in the same transaction.
    /// Each tenant's statements run through the tenant filter of that tenant (the context is switched between tenants,
    /// never holding tracked rows across a switch). Throws when the batches cannot be stored (e.g. a concurrent redelivery
    /// hit the unique index): nothing was committed, and the caller falls back to smaller units, which isolate each event.
    /// After the commit, per workspace, realtime events are published and the opt-out and bot hooks run for the stored
    /// messages, as they do one by one; a failure there is logged, never thrown (the batch is committed and marked).
    /// </summary>
    /// <returns>Per batch, in the order given, each message's outcome.</returns>
    public async Task<IReadOnlyList<IReadOnlyList<InboundOutcome>>> HandleReceivedBatchesAsync(IReadOnlyList<ReceivedBatch> batches, CancellationToken ct = default)
    {
        try
        {
            return await HandleReceivedBatchesAsync(batches, createChats: true, ct);
        }
        catch (DbUpdateException ex)
        {
            // A new customer's chat was made meanwhile by another path (a single event, another node): nothing was
            // committed; again with each missing chat found or made one by one, as that path does.
            logger.LogDebug(ex, "A batch's new chats clashed with chats made meanwhile; storing it again with chats made one by one");
            return await HandleReceivedBatchesAsync(batches, createChats: false, ct);
        }
    }

    private async Task<IReadOnlyList<IReadOnlyList<InboundOutcome>>> HandleReceivedBatchesAsync(IReadOnlyList<ReceivedBatch> batches, bool createChats,
        CancellationToken ct)
    {
        var tenant = new TenantContext();
        var now = clock.GetUtcNow();
        var plans = new BatchPlan[batches.Count];
        await using (var db = dbFactory.CreateForTenants(tenant))
        {
            // Open once for the reads and the write, so the ingest turn below is not spent opening a connection.
            await db.OpenConnectionAsync(ct);
            foreach (var perTenant in batches.Select((b, i) => (Batch: b, Index: i)).GroupBy(b => b.Batch.TenantId))
            {
                tenant.SetTenant(perTenant.Key);
                var workspaceIds = perTenant.Select(b => b.Batch.WorkspaceId).Distinct().ToList();
                var ids = perTenant.SelectMany(b => b.Batch.Messages.Select(m => m.Id)).Distinct().ToList();
                var known = (await db.Messages.Where(m => workspaceIds.Contains(m.WorkspaceId) && ids.Contains(m.ExternalMessageId!))
                        .Select(m => new { m.WorkspaceId, m.ExternalMessageId }).ToListAsync(ct))
                    .Select(m => (m.WorkspaceId, m.ExternalMessageId!)).ToHashSet();
                // Chats: one query for the tenant; a new, deleted or unnamed one goes through the single path's find-or-create.
                var chatIds = perTenant.SelectMany(b => b.Batch.Messages.Select(m => ChatIds.FromPhone(ChatIds.ToPhone(m.From)!))).Distinct().ToList();
                var chats = await db.Chats.IgnoreQueryFilters([SoftDeleteFilter]).AsNoTracking()
                    .Where(c => workspaceIds.Contains(c.WorkspaceId) && c.Channel == Channel.WhatsApp && chatIds.Contains(c.ExternalChatId))
                    .ToDictionaryAsync(c => (c.WorkspaceId, c.ExternalChatId), ct);
                // New customers' chats are made in the batch's transaction below, named after their contact if any: one
                // query for the tenant, where a commit per new chat had made a batch of new customers cost seconds (issue 21).
                var newPhones = perTenant.SelectMany(b => b.Batch.Messages.Select(m => (b.Batch.WorkspaceId, Phone: "+" + ChatIds.ToPhone(m.From)!)))
                    .Where(p => !chats.ContainsKey((p.WorkspaceId, ChatIds.FromPhone(p.Phone[1..])))).Select(p => p.Phone).Distinct().ToList();
                var contacts = newPhones.Count == 0 || !createChats ? [] : (await db.Contacts.AsNoTracking()
                        .Where(c => workspaceIds.Contains(c.WorkspaceId) && newPhones.Contains(c.Phone))
                        .Select(c => new { c.WorkspaceId, c.Phone, c.Id, c.Name }).ToListAsync(ct))
                    .DistinctBy(c => (c.WorkspaceId, c.Phone)).ToDictionary(c => (c.WorkspaceId, c.Phone), c => (c.Id, c.Name));
                foreach (var (batch, index) in perTenant)
                    plans[index] = await PlanAsync(batch, known, chats, createChats ? contacts : null, now, ct);
            }

            if (plans.Any(p => p.Stored.Count > 0 || p.Batch.WebhookEvents is { Count: > 0 }))
            {
                using (await gate.EnterAsync(ct))
                    await db.InTransactionAsync(ct => StoreAsync(db, tenant, plans, now, ct), ct);
            }

            // After the commit. Which workspaces the hooks have anything to do for: one query each per tenant, not a
            // context and query per workspace and hook (most workspaces have no bot rule, most senders are no contact).
            var hooked = new HashSet<Guid>();
            var botted = new HashSet<Guid>();
            var counted = new Dictionary<Guid, UnreadCountsChanged>();
            foreach (var perTenant in plans.Where(p => p.Stored.Count > 0).GroupBy(p => p.Batch.TenantId))
            {
                tenant.SetTenant(perTenant.Key);
                var workspaceIds = perTenant.Select(p => p.Batch.WorkspaceId).Distinct().ToList();
                // The counters as stored now, for the pages' badges: one query per tenant, like the hooks' lookups.
                foreach (var (workspaceId, changed) in await UnreadCountEvents.ReadAsync(db, perTenant.Key, workspaceIds, logger, ct))
                    counted[workspaceId] = changed;
                var phones = perTenant.SelectMany(p => p.Stored.Select(s => s.Message.SenderNumber!)).Distinct().ToList();
                try
                {
                    hooked.UnionWith(await AudienceReplies.WithContactsAsync(db, workspaceIds, phones, ct));
                    // Another automation than ours (none today) is asked every time.
                    botted.UnionWith(automation is AutomationService ? await AutomationService.WithActiveRulesAsync(db, workspaceIds, ct) : workspaceIds);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Stored and marked already: the hooks then look for themselves, as one by one.
                    logger.LogError(ex, "Looking up the inbound hooks of tenant {TenantId} failed", perTenant.Key);
                    hooked.UnionWith(workspaceIds);
                    botted.UnionWith(workspaceIds);
                }
            }

            foreach (var plan in plans.Where(p => p.Stored.Count > 0))
            {
                var (tenantId, workspaceId) = (plan.Batch.TenantId, plan.Batch.WorkspaceId);
                try
                {
                    foreach (var (message, _) in plan.Stored)
                        await bus.PublishAsync(Topics.Workspace(workspaceId), new ChatMessageAdded(tenantId, workspaceId, message.ChatId, message.Id, message.Direction));
                    await bus.PublishAsync(Topics.Tenant(tenantId), counted.GetValueOrDefault(workspaceId) ?? new UnreadCountsChanged(tenantId, workspaceId));

                    // The same hooks as one by one, in the same order: opt-outs and sequence stops first, then the bot.
                    if (hooked.Contains(workspaceId))
                        await audienceReplies.HandleInboundAsync(tenantId, workspaceId, plan.Stored.Select(s => new InboundReply(s.Message.SenderNumber!, s.Message.Body)).ToList(), ct);
                    if (botted.Contains(workspaceId))
                        await automation.OnInboundAsync(tenantId, workspaceId, plan.Stored.Select(s => new StoredInbound(s.Message.ChatId, s.Message.Id)).ToList(), ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Stored and marked already: applying the events again would find them duplicates and run nothing.
                    logger.LogError(ex, "After storing {Count} inbound messages of workspace {WorkspaceId}, the realtime events or hooks failed",
                        plan.Stored.Count, workspaceId);
                }
            }
        }
        return plans.Select(p => (IReadOnlyList<InboundOutcome>)p.Outcomes).ToList();
    }

    /// <summary>One batch's messages to store, from what the tenant's reads found (<paramref name="known"/> gains the new ids).</summary>
    private async Task<BatchPlan> PlanAsync(ReceivedBatch batch, HashSet<(Guid, string)> known, Dictionary<(Guid, string), Chat> chats,
        Dictionary<(Guid, string), (Guid Id, string Name)>? contacts, DateTimeOffset now, CancellationToken ct)
    {
        var (tenantId, workspaceId) = (batch.TenantId, batch.WorkspaceId);
        var plan = new BatchPlan(batch, new InboundOutcome[batch.Messages.Count]);
        for (var i = 0; i < batch.Messages.Count; i++)
        {
            var received = batch.Messages[i];
            if (!known.Add((workspaceId, received.Id)))
            {
                plan.Outcomes[i] = InboundOutcome.Duplicate;
                continue;
            }
            var phone = ChatIds.ToPhone(received.From)!;
            var e164 = "+" + phone;
            var externalChatId = ChatIds.FromPhone(phone);
            if (!chats.TryGetValue((workspaceId, externalChatId), out var chat) && contacts is not null)
            {
                chat = NewChat(tenantId, workspaceId, externalChatId, e164, received.PushName,
                    contacts.TryGetValue((workspaceId, e164), out var contact) ? contact : null);
                chats[(workspaceId, externalChatId)] = chat;
                plan.Created.Add(chat);
            }
            else if (chat is null || chat.DeletedAt is not null || (received.PushName is { Length: > 0 } && chat.DisplayName == e164))
            {
                chat = await FindOrCreateChatAsync(tenantId, workspaceId, externalChatId, e164, received.PushName, ct);
                chats[(workspaceId, externalChatId)] = chat;
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
            plan.Stored.Add((message, preview));
            if (chat.BroadcastOnly && !plan.Revealed.Contains(chat.Id))
                plan.Revealed.Add(chat.Id);
            plan.Outcomes[i] = InboundOutcome.Stored;
        }
        return plan;
    }

    /// <summary>
    /// The write of every batch, in the caller's transaction: all messages in one prepared INSERT (EF's change tracking cost
    /// more than the insert), all chats' counters, then per workspace its unread counters and revealed chats and per tenant
    /// the marking of its webhook events, each through that tenant's filter. May run again on a retry: keeps nothing.
    /// </summary>
    private async Task StoreAsync(IKelolaDb db, TenantContext tenant, IReadOnlyList<BatchPlan> plans, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var perTenant in plans.Where(p => p.Created.Count > 0).GroupBy(p => p.Batch.TenantId))
        {
            tenant.SetTenant(perTenant.Key);
            foreach (var chat in perTenant.SelectMany(p => p.Created))
                db.Chats.Add(chat);
            await db.SaveChangesAsync(ct);
        }
        var messages = plans.SelectMany(p => p.Stored.Select(s => s.Message)).ToList();
        if (messages.Count > 0)
            await bulk.InsertAsync(db, messages, ct);
        var becameUnread = new HashSet<Guid>();
        var bumps = plans.SelectMany(p => Bumps(p.Stored)).ToList();
        if (bumps.Count > 0)
            await counters.BumpAsync(db, bumps, ct, becameUnread);

        foreach (var perWorkspace in plans.Where(p => p.Stored.Count > 0 || p.Revealed.Count > 0).GroupBy(p => (p.Batch.TenantId, p.Batch.WorkspaceId)))
        {
            var (tenantId, workspaceId) = perWorkspace.Key;
            tenant.SetTenant(tenantId);
            var stored = perWorkspace.SelectMany(p => p.Stored).ToList();
            if (stored.Count > 0)
            {
                var newUnreadChats = stored.Select(s => s.Message.ChatId).Distinct().Count(becameUnread.Contains);
                await db.Workspaces.Where(w => w.Id == workspaceId).ExecuteUpdateAsync(s => s
                    .SetProperty(w => w.UnreadMessages, w => w.UnreadMessages + stored.Count)
                    .SetProperty(w => w.UnreadChats, w => w.UnreadChats + newUnreadChats), ct);
            }
            // Customers replying to a broadcast: their chats join the lists (docs/adr/0021).
            var revealed = perWorkspace.SelectMany(p => p.Revealed).Distinct().ToList();
            if (revealed.Count > 0)
                await db.Chats.Where(c => revealed.Contains(c.Id)).ExecuteUpdateAsync(s => s.SetProperty(c => c.BroadcastOnly, false), ct);
        }
        foreach (var perTenant in plans.Where(p => p.Batch.WebhookEvents is { Count: > 0 }).GroupBy(p => p.Batch.TenantId))
        {
            tenant.SetTenant(perTenant.Key);
            await WhatsAppEventProcessor.MarkProcessedAsync(db, perTenant.Key, perTenant.SelectMany(p => p.Batch.WebhookEvents!).ToList(), now, ct);
        }
    }

    /// <summary>Each chat's counters moved once by the sum of its messages.</summary>
    private static IEnumerable<ChatBump> Bumps(List<(Message Message, string Preview)> stored) =>
        stored.GroupBy(s => s.Message.ChatId).Select(perChat =>
        {
            // One at a time, each message moved the preview forward if not older; the last one not older wins.
            var latest = perChat.Aggregate((a, b) => b.Message.SentAt >= a.Message.SentAt ? b : a);
            return new ChatBump(perChat.Key, perChat.Count(), perChat.Last().Message.SentAt, latest.Message.SentAt, latest.Preview);
        });

    private sealed record BatchPlan(ReceivedBatch Batch, InboundOutcome[] Outcomes)
    {
        public List<(Message Message, string Preview)> Stored { get; } = [];
        public List<Guid> Revealed { get; } = [];

        /// <summary>Chats of new customers, inserted in the batch's transaction before their messages.</summary>
        public List<Chat> Created { get; } = [];
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

/// <summary>One workspace's plain customer messages (in arrival order), with the stored webhook events they came from.</summary>
public sealed record ReceivedBatch(Guid TenantId, Guid WorkspaceId, IReadOnlyList<GatewayChatMessage> Messages, IReadOnlyList<Guid>? WebhookEvents = null);
