using KelolaPesan.Core.Automation;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Webhooks;
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
    /// messages and the sends awaiting their echo found with one query each for the whole batch, every message inserted in one
    /// statement, each chat's counters moved once by the sum of its messages (still increments in SQL, never
    /// read-modify-write), an echo that claims its waiting send writing the gateway id there instead of a new row, each
    /// batch's webhook events marked processed in the same transaction.
    /// The context sees every tenant (system scope), so each row read is taken only for the (tenant, workspace) pair of
    /// a batch, bound when its webhook was verified, and every write goes by the ids of rows so found or made (issue 21:
    /// through each tenant's filter in turn, a batch over 20 tenants spent three quarters of its time on per-tenant
    /// statements). Throws when the batches cannot be stored (e.g. a concurrent redelivery
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
        var now = clock.GetUtcNow();
        var plans = new BatchPlan[batches.Count];
        await using (var db = dbFactory.CreateSystem())
        {
            // Open once for the reads and the write, so the ingest turn below is not spent opening a connection.
            await db.OpenConnectionAsync(ct);
            // The look-ups once for the whole batch, whichever tenants it spans: once per tenant, a batch spread over 20
            // tenants cost ~120 queries and three quarters of its time (issue 21). The context sees every tenant here, and
            // each row is taken only for the (tenant, workspace) pair of a batch (bound when its webhook was verified).
            var workspaces = new BatchWorkspaces(batches.Select(b => (b.TenantId, b.WorkspaceId)));
            var workspaceIds = workspaces.Ids;
            var ids = batches.SelectMany(b => b.Messages.Select(m => m.Id)).Distinct().ToList();
            var known = (await db.Messages.Where(m => workspaceIds.Contains(m.WorkspaceId) && ids.Contains(m.ExternalMessageId!))
                    .Select(m => new { m.TenantId, m.WorkspaceId, m.ExternalMessageId }).ToListAsync(ct))
                .Where(m => workspaces.Owns(m.TenantId, m.WorkspaceId)).Select(m => (m.WorkspaceId, m.ExternalMessageId!)).ToHashSet();
            // Chats: one query; a new, deleted or unnamed one goes through the single path's find-or-create.
            var chatIds = batches.SelectMany(b => b.Messages.Select(m => ChatIds.FromPhone(PhoneOf(m)))).Distinct().ToList();
            var chats = (await db.Chats.IgnoreQueryFilters([SoftDeleteFilter]).AsNoTracking()
                    .Where(c => workspaceIds.Contains(c.WorkspaceId) && c.Channel == Channel.WhatsApp && chatIds.Contains(c.ExternalChatId))
                    .ToListAsync(ct))
                .Where(c => workspaces.Owns(c.TenantId, c.WorkspaceId)).ToDictionary(c => (c.WorkspaceId, c.ExternalChatId));
            // New customers' chats are made in the batch's transaction below, named after their contact if any: one
            // query, where a commit per new chat had made a batch of new customers cost seconds (issue 21).
            var newPhones = batches.SelectMany(b => b.Messages.Select(m => (b.WorkspaceId, Phone: "+" + PhoneOf(m))))
                .Where(p => !chats.ContainsKey((p.WorkspaceId, ChatIds.FromPhone(p.Phone[1..])))).Select(p => p.Phone).Distinct().ToList();
            var contacts = newPhones.Count == 0 || !createChats ? [] : (await db.Contacts.AsNoTracking()
                    .Where(c => workspaceIds.Contains(c.WorkspaceId) && newPhones.Contains(c.Phone))
                    .Select(c => new { c.TenantId, c.WorkspaceId, c.Phone, c.Id, c.Name }).ToListAsync(ct))
                .Where(c => workspaces.Owns(c.TenantId, c.WorkspaceId))
                .DistinctBy(c => (c.WorkspaceId, c.Phone)).ToDictionary(c => (c.WorkspaceId, c.Phone), c => (c.Id, c.Name));
            // Our own messages: who sent them, and the inbox's sends still waiting for their echo in the chats known.
            var echoes = batches.SelectMany(b => b.Messages.Where(m => m.FromMe && !known.Contains((b.WorkspaceId, m.Id)))
                .Select(m => (b.WorkspaceId, E164: (string?)("+" + PhoneOf(m)), Echo: m))).ToList();
            var origins = await OwnOriginsAsync(db, echoes, ct);
            var echoChats = echoes.Select(e => chats.GetValueOrDefault((e.WorkspaceId, ChatIds.FromPhone(PhoneOf(e.Echo))))?.Id)
                .OfType<Guid>().Distinct().ToList();
            var pending = echoChats.Count == 0 ? [] : await PendingOwnSendsAsync(db, echoChats, ct);
            for (var i = 0; i < batches.Count; i++)
                plans[i] = await PlanAsync(batches[i], known, chats, createChats ? contacts : null, origins, pending, now, ct);

            if (plans.Any(p => p.Stored.Count > 0 || p.Claimed.Count > 0 || p.Batch.WebhookEvents is { Count: > 0 }))
            {
                using (await gate.EnterAsync(ct))
                    await db.InTransactionAsync(ct => StoreAsync(db, plans, now, ct), ct);
            }

            // After the commit, once for the batch like the reads above: the counters as stored now, for the pages' badges,
            // and which workspaces the hooks have anything to do for (most workspaces have no bot rule, most senders are
            // no contact).
            var received = plans.Where(p => p.Inbound.Any()).ToList();
            IReadOnlyDictionary<Guid, UnreadCountsChanged> counted = received.Count == 0 ? new Dictionary<Guid, UnreadCountsChanged>()
                : await UnreadCountEvents.ReadAsync(db, received.Select(p => (p.Batch.TenantId, p.Batch.WorkspaceId)).ToList(), logger, ct);
            var hooked = new HashSet<Guid>();
            var botted = new HashSet<Guid>();
            if (received.Count > 0)
            {
                var senders = received.SelectMany(p => p.Inbound.Select(m => (p.Batch.WorkspaceId, Phone: m.SenderNumber!))).Distinct().ToList();
                try
                {
                    hooked.UnionWith(await AudienceReplies.WithContactsAsync(db, senders, ct));
                    // Another automation than ours (none today) is asked every time.
                    var receivedIn = senders.Select(s => s.WorkspaceId).Distinct().ToList();
                    botted.UnionWith(automation is AutomationService ? await AutomationService.WithActiveRulesAsync(db, receivedIn, ct) : receivedIn);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Stored and marked already: the hooks then look for themselves, as one by one.
                    logger.LogError(ex, "Looking up the inbound hooks of {Count} workspaces failed", senders.Count);
                    hooked.UnionWith(received.Select(p => p.Batch.WorkspaceId));
                    botted.UnionWith(received.Select(p => p.Batch.WorkspaceId));
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
    /// One batch's messages to store, from what the batch's reads found (<paramref name="known"/> gains the new ids,
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
            var preview = InboxService.Preview(message.Body.Length > 0 ? message.Body : received.Media?.FileName ?? "📎");
            plan.Stored.Add((message, preview));
            // The customer replied (or the phone wrote): the chat a broadcast made joins the lists, its history intact.
            if (chat.BroadcastOnly && !paced && !plan.Revealed.Contains(chat.Id))
                plan.Revealed.Add(chat.Id);
            plan.Outcomes[i] = InboundOutcome.Stored;
        }
        return plan;
    }

    /// <summary>
    /// The write of every batch, in the caller's transaction, whichever tenants: the new chats, all messages in one prepared
    /// INSERT (EF's change tracking cost more than the insert), all chats' counters and previews, the workspaces' unread
    /// counters (one statement per distinct move), the sends their echoes claimed, the revealed chats and the marking of
    /// the webhook events. May run again on a retry: keeps nothing.
    /// </summary>
    private async Task StoreAsync(IKelolaDb db, IReadOnlyList<BatchPlan> plans, DateTimeOffset now, CancellationToken ct)
    {
        // Everything by id, for every tenant at once (the rows the batch's own reads found or made, each carrying its
        // tenant): a statement per workspace or tenant was most of a spread batch's transaction (issue 21).
        var created = plans.SelectMany(p => p.Created).ToList();
        if (created.Count > 0)
        {
            db.Chats.AddRange(created);
            await db.SaveChangesAsync(ct);
        }
        var messages = plans.SelectMany(p => p.Stored.Select(s => s.Message)).ToList();
        if (messages.Count > 0)
            await bulk.InsertAsync(db, messages, ct);
        var becameUnread = new HashSet<Guid>();
        var bumps = plans.SelectMany(p => Bumps(p.Stored)).ToList();
        if (bumps.Count > 0)
            await counters.BumpAsync(db, bumps, ct, becameUnread);

        // The unread counters: one statement for all workspaces moved by the same amounts (in a spread batch, one or two
        // messages and chats each).
        var unread = plans.GroupBy(p => p.Batch.WorkspaceId).Select(perWorkspace =>
        {
            var inbound = perWorkspace.SelectMany(p => p.Inbound).ToList();
            return (WorkspaceId: perWorkspace.Key, Messages: inbound.Count, Chats: inbound.Select(m => m.ChatId).Distinct().Count(becameUnread.Contains));
        }).Where(w => w.Messages > 0);
        foreach (var moved in unread.GroupBy(w => (w.Messages, w.Chats)))
        {
            var (messagesMoved, chatsMoved) = moved.Key;
            var workspaceIds = moved.Select(w => w.WorkspaceId).ToList();
            await db.Workspaces.Where(w => workspaceIds.Contains(w.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(w => w.UnreadMessages, w => w.UnreadMessages + messagesMoved)
                .SetProperty(w => w.UnreadChats, w => w.UnreadChats + chatsMoved), ct);
        }
        foreach (var claimed in plans.SelectMany(p => p.Claimed))
        {
            // Its own call wrote the id meanwhile: DbUpdateException makes the caller read everything afresh.
            if (!await TakeGatewayIdAsync(db, claimed.MessageId, claimed.ExternalId, ct))
                throw new DbUpdateConcurrencyException($"The send {claimed.MessageId} got its gateway id meanwhile.");
        }
        // Customers replying to a broadcast: their chats join the lists (docs/adr/0021).
        var revealed = plans.SelectMany(p => p.Revealed).Distinct().ToList();
        if (revealed.Count > 0)
            await db.Chats.Where(c => revealed.Contains(c.Id)).ExecuteUpdateAsync(s => s.SetProperty(c => c.BroadcastOnly, false), ct);
        var events = plans.SelectMany(p => p.Batch.WebhookEvents ?? []).ToList();
        if (events.Count > 0)
            await WhatsAppEventProcessor.MarkProcessedAsync(db, events, now, ct);
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
