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
    /// Whether <see cref="HandleReceivedBatchAsync"/> takes this message: plain text in a phone-number chat, the
    /// customer's or our own (the echo of every send, a broadcast's included). Media, "@lid" numbers, groups and status
    /// stay on the one-by-one path.
    /// </summary>
    public static bool IsBatchable(GatewayChatMessage m)
    {
        var counterpart = Counterpart(m);
        return !m.HasMedia && !ChatIds.IsLid(counterpart) && !ChatIds.IsGroup(counterpart)
            && !counterpart.StartsWith("status@", StringComparison.OrdinalIgnoreCase) && ChatIds.ToPhone(counterpart) is not null;
    }

    /// <summary>The other side of the chat: the sender of a customer's message, the addressee of our own.</summary>
    private static string Counterpart(GatewayChatMessage m) => (m.FromMe ? m.To : m.From) ?? "";

    /// <summary>The counterpart's phone digits, which every batchable message has.</summary>
    private static string PhoneOf(GatewayChatMessage m) => ChatIds.ToPhone(Counterpart(m))!;

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
    /// <see cref="HandleReceivedAsync"/> for each message in order: the duplicates, the chats, the origins of our own
    /// messages and the sends awaiting their echo found with one query each per tenant, every message inserted in one
    /// statement, each chat's counters moved once by the sum of its messages (still increments in SQL, never
    /// read-modify-write), an echo that claims its waiting send writing the gateway id there instead of a new row, each
    /// batch's webhook events marked processed in the same transaction.
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
            // A new customer's chat was made meanwhile by another path (a single event, another node), or a send awaiting
            // its echo got its gateway id from its own call: nothing was committed; again, read afresh, with each missing
            // chat found or made one by one, as that path does.
            logger.LogDebug(ex, "A batch's new chats or claimed sends clashed with writes made meanwhile; storing it again with chats made one by one");
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
                var chatIds = perTenant.SelectMany(b => b.Batch.Messages.Select(m => ChatIds.FromPhone(PhoneOf(m)))).Distinct().ToList();
                var chats = await db.Chats.IgnoreQueryFilters([SoftDeleteFilter]).AsNoTracking()
                    .Where(c => workspaceIds.Contains(c.WorkspaceId) && c.Channel == Channel.WhatsApp && chatIds.Contains(c.ExternalChatId))
                    .ToDictionaryAsync(c => (c.WorkspaceId, c.ExternalChatId), ct);
                // New customers' chats are made in the batch's transaction below, named after their contact if any: one
                // query for the tenant, where a commit per new chat had made a batch of new customers cost seconds (issue 21).
                var newPhones = perTenant.SelectMany(b => b.Batch.Messages.Select(m => (b.Batch.WorkspaceId, Phone: "+" + PhoneOf(m))))
                    .Where(p => !chats.ContainsKey((p.WorkspaceId, ChatIds.FromPhone(p.Phone[1..])))).Select(p => p.Phone).Distinct().ToList();
                var contacts = newPhones.Count == 0 || !createChats ? [] : (await db.Contacts.AsNoTracking()
                        .Where(c => workspaceIds.Contains(c.WorkspaceId) && newPhones.Contains(c.Phone))
                        .Select(c => new { c.WorkspaceId, c.Phone, c.Id, c.Name }).ToListAsync(ct))
                    .DistinctBy(c => (c.WorkspaceId, c.Phone)).ToDictionary(c => (c.WorkspaceId, c.Phone), c => (c.Id, c.Name));
                // Our own messages: who sent them, and the inbox's sends still waiting for their echo in the chats known.
                var echoes = perTenant.SelectMany(b => b.Batch.Messages.Where(m => m.FromMe && !known.Contains((b.Batch.WorkspaceId, m.Id)))
                    .Select(m => (b.Batch.WorkspaceId, E164: (string?)("+" + PhoneOf(m)), Echo: m))).ToList();
                var origins = await OwnOriginsAsync(db, echoes, ct);
                var echoChats = echoes.Select(e => chats.GetValueOrDefault((e.WorkspaceId, ChatIds.FromPhone(PhoneOf(e.Echo))))?.Id)
                    .OfType<Guid>().Distinct().ToList();
                var pending = echoChats.Count == 0 ? [] : await PendingOwnSendsAsync(db, echoChats, ct);
                foreach (var (batch, index) in perTenant)
                    plans[index] = await PlanAsync(batch, known, chats, createChats ? contacts : null, origins, pending, now, ct);
            }

            if (plans.Any(p => p.Stored.Count > 0 || p.Claimed.Count > 0 || p.Batch.WebhookEvents is { Count: > 0 }))
            {
                using (await gate.EnterAsync(ct))
                    await db.InTransactionAsync(ct => StoreAsync(db, tenant, plans, now, ct), ct);
            }

            // After the commit. Which workspaces the hooks have anything to do for: one query each per tenant, not a
            // context and query per workspace and hook (most workspaces have no bot rule, most senders are no contact).
            var hooked = new HashSet<Guid>();
            var botted = new HashSet<Guid>();
            var counted = new Dictionary<Guid, UnreadCountsChanged>();
            foreach (var perTenant in plans.Where(p => p.Inbound.Any()).GroupBy(p => p.Batch.TenantId))
            {
                tenant.SetTenant(perTenant.Key);
                var workspaceIds = perTenant.Select(p => p.Batch.WorkspaceId).Distinct().ToList();
                // The counters as stored now, for the pages' badges: one query per tenant, like the hooks' lookups.
                foreach (var (workspaceId, changed) in await UnreadCountEvents.ReadAsync(db, perTenant.Key, workspaceIds, logger, ct))
                    counted[workspaceId] = changed;
                var phones = perTenant.SelectMany(p => p.Inbound.Select(m => m.SenderNumber!)).Distinct().ToList();
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

            foreach (var plan in plans.Where(p => p.Stored.Count > 0 || p.Claimed.Count > 0))
            {
                var (tenantId, workspaceId) = (plan.Batch.TenantId, plan.Batch.WorkspaceId);
                try
                {
                    foreach (var (message, _) in plan.Stored)
                        await bus.PublishAsync(Topics.Workspace(workspaceId), new ChatMessageAdded(tenantId, workspaceId, message.ChatId, message.Id, message.Direction));
                    foreach (var own in plan.Claimed)
                        await bus.PublishAsync(Topics.Workspace(workspaceId), new ChatMessageStatusChanged(tenantId, workspaceId, own.ChatId, own.MessageId, MessageStatus.Sent));
                    var inbound = plan.Inbound.ToList();
                    if (inbound.Count == 0)
                        continue;
                    await bus.PublishAsync(Topics.Tenant(tenantId), counted.GetValueOrDefault(workspaceId) ?? new UnreadCountsChanged(tenantId, workspaceId));

                    // The same hooks as one by one, in the same order: opt-outs and sequence stops first, then the bot.
                    if (hooked.Contains(workspaceId))
                        await audienceReplies.HandleInboundAsync(tenantId, workspaceId, inbound.Select(m => new InboundReply(m.SenderNumber!, m.Body)).ToList(), ct);
                    if (botted.Contains(workspaceId))
                        await automation.OnInboundAsync(tenantId, workspaceId, inbound.Select(m => new StoredInbound(m.ChatId, m.Id)).ToList(), ct);
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

    /// <summary>
    /// One batch's messages to store, from what the tenant's reads found (<paramref name="known"/> gains the new ids,
    /// <paramref name="pending"/> loses the sends their echoes claim).
    /// </summary>
    private async Task<BatchPlan> PlanAsync(ReceivedBatch batch, HashSet<(Guid, string)> known, Dictionary<(Guid, string), Chat> chats,
        Dictionary<(Guid, string), (Guid Id, string Name)>? contacts, Dictionary<(Guid WorkspaceId, string Id), MessageOrigin> origins,
        List<PendingOwnSend> pending, DateTimeOffset now, CancellationToken ct)
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
            var phone = PhoneOf(received);
            var e164 = "+" + phone;
            var externalChatId = ChatIds.FromPhone(phone);
            var origin = received.FromMe ? origins[(workspaceId, received.Id)] : MessageOrigin.Customer;
            // A broadcast's or sequence's own message makes no chat of its own in the lists (docs/adr/0021).
            var paced = origin is MessageOrigin.Broadcast or MessageOrigin.Sequence;
            var pushName = received.FromMe ? null : received.PushName;
            if (!chats.TryGetValue((workspaceId, externalChatId), out var chat) && contacts is not null)
            {
                chat = NewChat(tenantId, workspaceId, externalChatId, e164, pushName,
                    contacts.TryGetValue((workspaceId, e164), out var contact) ? contact : null);
                chat.BroadcastOnly = paced;
                chats[(workspaceId, externalChatId)] = chat;
                plan.Created.Add(chat);
            }
            else if (chat is null || chat.DeletedAt is not null || (pushName is { Length: > 0 } && chat.DisplayName == e164))
            {
                chat = await FindOrCreateChatAsync(tenantId, workspaceId, externalChatId, e164, pushName, ct, broadcastOnly: paced);
                chats[(workspaceId, externalChatId)] = chat;
            }
            var body = Limit(received.Body ?? "", Message.BodyMaxLength);
            if (received.FromMe && pending.FirstOrDefault(p => p.ChatId == chat.Id && p.Body == (received.Body ?? "")) is { } own)
            {
                // The inbox's own send, its call not returned yet: the echo gives it its gateway id instead of a second row.
                pending.Remove(own);
                plan.Claimed.Add(new ClaimedSend(own.Id, chat.Id, received.Id));
                plan.Outcomes[i] = InboundOutcome.Duplicate;
                continue;
            }
            var message = new Message
            {
                TenantId = tenantId, WorkspaceId = workspaceId, ChatId = chat.Id, ExternalMessageId = received.Id,
                Direction = received.FromMe ? MessageDirection.Outbound : MessageDirection.Inbound, Origin = origin,
                SenderName = received.FromMe ? received.PushName : received.PushName ?? chat.DisplayName, SenderNumber = received.FromMe ? null : e164,
                Body = body,
                Status = received.FromMe ? received.Status ?? MessageStatus.Sent : MessageStatus.Delivered,
                SentAt = received.Timestamp ?? now, ReplyToExternalId = received.ReplyTo,
                CreatedAt = now, UpdatedAt = now,
            };
            var preview = Limit(message.Body.Length > 0 ? message.Body : received.Media?.FileName ?? "📎", Chat.PreviewMaxLength);
            plan.Stored.Add((message, preview));
            // The customer replied (or the phone wrote): the chat a broadcast made joins the lists, its history intact.
            if (chat.BroadcastOnly && !paced && !plan.Revealed.Contains(chat.Id))
                plan.Revealed.Add(chat.Id);
            plan.Outcomes[i] = InboundOutcome.Stored;
        }
        return plan;
    }

    /// <summary>
    /// The write of every batch, in the caller's transaction: all messages in one prepared INSERT (EF's change tracking cost
    /// more than the insert), all chats' counters and previews, then per workspace its unread counters, revealed chats and
    /// the sends their echoes claimed, and per tenant the marking of its webhook events, each through that tenant's
    /// filter. May run again on a retry: keeps nothing.
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

        foreach (var perWorkspace in plans.Where(p => p.Stored.Count > 0 || p.Revealed.Count > 0 || p.Claimed.Count > 0)
                     .GroupBy(p => (p.Batch.TenantId, p.Batch.WorkspaceId)))
        {
            var (tenantId, workspaceId) = perWorkspace.Key;
            tenant.SetTenant(tenantId);
            var inbound = perWorkspace.SelectMany(p => p.Inbound).ToList();
            if (inbound.Count > 0)
            {
                var newUnreadChats = inbound.Select(m => m.ChatId).Distinct().Count(becameUnread.Contains);
                await db.Workspaces.Where(w => w.Id == workspaceId).ExecuteUpdateAsync(s => s
                    .SetProperty(w => w.UnreadMessages, w => w.UnreadMessages + inbound.Count)
                    .SetProperty(w => w.UnreadChats, w => w.UnreadChats + newUnreadChats), ct);
            }
            foreach (var claimed in perWorkspace.SelectMany(p => p.Claimed))
            {
                // Its own call wrote the id meanwhile: DbUpdateException makes the caller read everything afresh.
                if (!await TakeGatewayIdAsync(db, claimed.MessageId, claimed.ExternalId, ct))
                    throw new DbUpdateConcurrencyException($"The send {claimed.MessageId} got its gateway id meanwhile.");
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

    /// <summary>Each chat's counters moved once by the sum of its customer's messages, its preview by all its messages.</summary>
    private static IEnumerable<ChatBump> Bumps(List<(Message Message, string Preview)> stored) =>
        stored.GroupBy(s => s.Message.ChatId).Select(perChat =>
        {
            // One at a time, each message moved the preview forward if not older; the last one not older wins.
            var latest = perChat.Aggregate((a, b) => b.Message.SentAt >= a.Message.SentAt ? b : a);
            var inbound = perChat.Where(s => s.Message.Direction == MessageDirection.Inbound).ToList();
            return new ChatBump(perChat.Key, inbound.Count, inbound.LastOrDefault().Message?.SentAt ?? default, latest.Message.SentAt, latest.Preview);
        });

    private sealed record BatchPlan(ReceivedBatch Batch, InboundOutcome[] Outcomes)
    {
        public List<(Message Message, string Preview)> Stored { get; } = [];
        public List<Guid> Revealed { get; } = [];

        /// <summary>Chats of new customers, inserted in the batch's transaction before their messages.</summary>
        public List<Chat> Created { get; } = [];

        /// <summary>The inbox's sends whose echoes came before their calls returned: they take the gateway id.</summary>
        public List<ClaimedSend> Claimed { get; } = [];

        /// <summary>The customer's messages among those stored (for the unread counters and the hooks).</summary>
        public IEnumerable<Message> Inbound => Stored.Select(s => s.Message).Where(m => m.Direction == MessageDirection.Inbound);
    }

    private sealed record ClaimedSend(Guid MessageId, Guid ChatId, string ExternalId);

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
