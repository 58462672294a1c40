using System.Text;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Webhooks;

/// <summary>
/// Processes one stored WhatsApp event (webhook or simulator) from its row: parse, hand to the inbox or the
/// workspace connection, then mark it processed, or count the attempt and keep the error for a later retry.
/// </summary>
public sealed class WhatsAppEventProcessor(
    IKelolaDbFactory dbFactory,
    InboundMessageService inbound,
    WorkspaceConnectionService connections,
    IngestGate gate,
    TimeProvider clock,
    ILogger<WhatsAppEventProcessor> logger)
{
    public const int MaxAttempts = 5;

    private const string UnknownAck = "The acknowledged message is not known yet.";

    /// <summary>
    /// When an ack that overtook its message (our own send whose call has not answered yet, or whose echo is still on its
    /// way) is tried a second time: such a message is usually known within a second, and the sweep (every 30 s) left the
    /// customer's Read tick that long behind. Later tries are the sweep's.
    /// </summary>
    public static readonly TimeSpan UnknownAckRetry = TimeSpan.FromSeconds(2);

    /// <summary>How long a node holds the events it took (far past a batch's processing): a node that died leaves them to a sweep after it.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(2);

    /// <summary>Unprocessed events still worth trying, oldest first (the start-up and periodic sweep).</summary>
    public async Task<IReadOnlyList<Guid>> PendingAsync(TimeSpan olderThan, int max, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var before = now - olderThan;
        await using var db = dbFactory.CreateSystem();
        return await db.InboundWebhookEvents.AsNoTracking()
            .Where(e => e.Source == WebhookSource.WhatsApp && e.ProcessedAt == null && e.Attempts < MaxAttempts && e.ReceivedAt <= before
                        && (e.ClaimedUntil == null || e.ClaimedUntil <= now))
            .OrderBy(e => e.ReceivedAt)
            .Select(e => e.Id)
            .Take(max)
            .ToListAsync(ct);
    }

    /// <summary>
    /// Processes stored events in arrival order with one read and one write of their rows. The plain customer messages
    /// of the batch, whichever workspaces and tenants they belong to, are stored together in one transaction
    /// (<see cref="InboundMessageService.HandleReceivedBatchesAsync"/>; traffic spread over many workspaces otherwise
    /// cost a transaction per event, docs/adr/0026), and so are its acks, after everything else
    /// (<see cref="InboundMessageService.HandleAcksAsync"/>). Everything else goes one by one as in <see cref="ProcessAsync"/>;
    /// before such an event, what was gathered so far is stored first if any of it is of the event's workspace, so each
    /// chat's events apply in arrival order. A failed group falls back to one transaction per workspace, then one by one, so one bad
    /// event never holds back the others. A crash before the rows are marked leaves them to the sweep, and processing
    /// again is a no-op (messages are unique by gateway id).
    /// </summary>
    /// <returns>The events to try again after <see cref="UnknownAckRetry"/>: acks whose message was not known at their first try.</returns>
    public async Task<IReadOnlyList<Guid>> ProcessBatchAsync(IReadOnlyList<Guid> eventIds, CancellationToken ct = default)
    {
        if (eventIds.Count == 1)
            return await ProcessAsync(eventIds[0], ct);
        await using var db = dbFactory.CreateSystem();
        var ids = eventIds.Distinct().ToList();
        var token = await ClaimAsync(db, ids, ct);
        // This call's token marks exactly the rows it claimed, all unprocessed then and held by its lease since.
        var rows = (await db.InboundWebhookEvents.Where(e => ids.Contains(e.Id) && e.ClaimToken == token).ToListAsync(ct))
            .OrderBy(e => ids.IndexOf(e.Id)).ToList();
        var attemptsBefore = rows.ToDictionary(r => r.Id, r => r.Attempts);

        var gathered = new List<(InboundWebhookEvent Row, MessageReceived Message)>();
        var acks = new List<(InboundWebhookEvent Row, ReceivedAck Ack)>();
        foreach (var row in rows)
        {
            GatewayEvent? evt = null;
            try
            {
                evt = row is { TenantId: not null, WorkspaceId: not null } ? WahaWebhookParser.Parse(Encoding.UTF8.GetBytes(row.Payload)) : null;
            }
            catch (WebhookPayloadException)
            {
                // Handled (and recorded) by the one-by-one path below.
            }
            if (evt is MessageReceived message && InboundMessageService.IsBatchable(message.Message))
            {
                gathered.Add((row, message));
                continue;
            }
            if (evt is MessageAcked ack)
            {
                // Applied after the batch's other events: an ack only moves a status forward, and its message (our own
                // send's echo) may come later in the same batch.
                acks.Add((row, new ReceivedAck(row.TenantId!.Value, row.WorkspaceId!.Value, ack.MessageId, ack.Status)));
                continue;
            }
            // Another workspace's messages gathered so far may wait: only this workspace's chats must see them first.
            if (gathered.Any(g => g.Row.WorkspaceId == row.WorkspaceId))
                await FlushAsync(gathered, ct);
            await ProcessRowAsync(row, ct);
        }
        await FlushAsync(gathered, ct);
        await AckAsync(acks, ct);
        // Rows handled one by one carry their outcome (the batched ones were marked in their transaction).
        if (rows.Any(r => r.Attempts != attemptsBefore[r.Id]))
        {
            using (await gate.EnterAsync(CancellationToken.None))
                await db.SaveChangesAsync(CancellationToken.None);
        }
        return rows.Where(RetrySoon).Select(r => r.Id).ToList();
    }

    private static bool RetrySoon(InboundWebhookEvent row) => row is { ProcessedAt: null, Attempts: 1, Error: UnknownAck };

    /// <summary>The gathered messages, grouped by workspace (each in arrival order), in one transaction; on failure in smaller units.</summary>
    private async Task FlushAsync(List<(InboundWebhookEvent Row, MessageReceived Message)> gathered, CancellationToken ct)
    {
        if (gathered.Count == 0)
            return;
        var groups = gathered.GroupBy(g => (Tenant: g.Row.TenantId!.Value, Workspace: g.Row.WorkspaceId!.Value)).Select(g => g.ToList()).ToList();
        gathered.Clear();
        if (groups.Count > 1)
        {
            try
            {
                await inbound.HandleReceivedBatchesAsync(groups.Select(Batch).ToList(), ct);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Nothing was committed: each workspace again in a transaction of its own.
                logger.LogInformation(ex, "A batch of {Count} WhatsApp events over {Workspaces} workspaces failed; processing each workspace alone",
                    groups.Sum(g => g.Count), groups.Count);
            }
        }
        foreach (var group in groups)
        {
            try
            {
                await inbound.HandleReceivedBatchesAsync([Batch(group)], ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Nothing of the batch was committed: each event again on its own, with its own error if any.
                logger.LogInformation(ex, "A batch of {Count} WhatsApp events failed; processing them one by one", group.Count);
                foreach (var (row, _) in group)
                    await ProcessRowAsync(row, ct);
            }
        }
    }

    /// <summary>The gathered acks in one transaction, each row recording its outcome; on failure one by one.</summary>
    private async Task AckAsync(List<(InboundWebhookEvent Row, ReceivedAck Ack)> acks, CancellationToken ct)
    {
        if (acks.Count == 0)
            return;
        IReadOnlyList<bool> known;
        try
        {
            known = await inbound.HandleAcksAsync(acks.Select(a => a.Ack).ToList(), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nothing was committed: each ack again on its own, with its own error if any.
            logger.LogInformation(ex, "A batch of {Count} WhatsApp acks failed; processing them one by one", acks.Count);
            foreach (var (row, _) in acks)
                await ProcessRowAsync(row, ct);
            return;
        }
        for (var i = 0; i < acks.Count; i++)
            Record(acks[i].Row, known[i] ? null : UnknownAck);
    }

    private static ReceivedBatch Batch(List<(InboundWebhookEvent Row, MessageReceived Message)> group) =>
        new(group[0].Row.TenantId!.Value, group[0].Row.WorkspaceId!.Value, group.Select(g => g.Message.Message).ToList(), group.Select(g => g.Row.Id).ToList());

    /// <summary>
    /// Marks a batch's events (of any tenants) processed in one statement, in the caller's transaction (the one that
    /// applied them). The tenant filter is lifted for exactly these events, so a tenant's context marks them too (raw
    /// events are platform rows: through a tenant's filter this once matched nothing, and every sweep applied the events
    /// again).
    /// </summary>
    internal static Task<int> MarkProcessedAsync(IKelolaDb db, IReadOnlyList<Guid> eventIds, DateTimeOffset now, CancellationToken ct) =>
        db.InboundWebhookEvents.IgnoreQueryFilters([QueryFilters.Tenant]).Where(e => eventIds.Contains(e.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.Attempts, e => e.Attempts + 1)
            .SetProperty(e => e.Error, (string?)null)
            .SetProperty(e => e.ProcessedAt, now), ct);

    /// <returns>The event's id when it is to be tried again soon (see <see cref="ProcessBatchAsync"/>), else nothing.</returns>
    public async Task<IReadOnlyList<Guid>> ProcessAsync(Guid eventId, CancellationToken ct = default)
    {
        var stages = logger.IsEnabled(LogLevel.Debug) ? new StageClock() : null;
        await using var db = dbFactory.CreateSystem();
        var token = await ClaimAsync(db, [eventId], ct);
        stages?.Mark("claimed");
        if (await db.InboundWebhookEvents.FirstOrDefaultAsync(e => e.Id == eventId, ct) is not { ProcessedAt: null } row || row.ClaimToken != token)
            return [];
        stages?.Mark("loaded");
        await ProcessRowAsync(row, ct);
        stages?.Mark("handled");
        using (await gate.EnterAsync(CancellationToken.None))
            await db.SaveChangesAsync(CancellationToken.None);
        if (stages is not null)
        {
            stages.Mark("saved");
            logger.LogDebug("WhatsApp event {EventId} stages ({Waited:0} ms after it was received): {Stages}", eventId,
                (clock.GetUtcNow() - row.ReceivedAt).TotalMilliseconds, stages);
        }
        return RetrySoon(row) ? [row.Id] : [];
    }

    /// <summary>
    /// Takes the unprocessed events among these that no node holds (or whose holder's lease ran out) with one conditional
    /// UPDATE stamping this call's token: two nodes (one's queue, the other's sweep) never apply the same event.
    /// </summary>
    /// <remarks>
    /// "Unprocessed" is asked in a form no index serves: SQLite, without statistics (docs/adr/0031), took
    /// <c>ProcessedAt IS NULL</c> for a handful of rows on its index and walked every unprocessed event to find the
    /// batch's, so a backlog made each batch slower (the claim 3.7 ms a batch at 100,000 queued); now it seeks the ids.
    /// </remarks>
    private async Task<Guid> ClaimAsync(IKelolaDb db, List<Guid> ids, CancellationToken ct)
    {
        var token = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        var until = now + ClaimLease;
        using (await gate.EnterAsync(ct))
            await db.InboundWebhookEvents.Where(e => ids.Contains(e.Id) && (e.ProcessedAt == null ? 1 : 0) == 1 && (e.ClaimedUntil == null || e.ClaimedUntil <= now))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ClaimedUntil, until).SetProperty(e => e.ClaimToken, token), ct);
        return token;
    }

    /// <summary>Handles one tracked row and records the outcome on it; the caller saves.</summary>
    private async Task ProcessRowAsync(InboundWebhookEvent row, CancellationToken ct)
    {
        string? error = null;
        try
        {
            error = await HandleAsync(row, ct);
        }
        catch (WebhookPayloadException ex)
        {
            // A malformed event will not get better: kept with its reason, not retried.
            error = ex.Message;
            row.Attempts = MaxAttempts - 1;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Processing WhatsApp event {EventId} ({EventType}) failed", row.Id, row.EventType);
            error = ex.Message;
        }

        Record(row, error);
    }

    /// <summary>The outcome of handling a tracked row, on the row; the caller saves.</summary>
    private void Record(InboundWebhookEvent row, string? error)
    {
        row.Attempts++;
        row.Error = error is null ? null : (error.Length > 2000 ? error[..2000] : error);
        // A failed event goes back to the sweep at once, whichever node's.
        row.ClaimedUntil = null;
        if (error is null)
            row.ProcessedAt = clock.GetUtcNow();
    }

    /// <summary>Returns null when done, or why the event must be tried again.</summary>
    private async Task<string?> HandleAsync(InboundWebhookEvent row, CancellationToken ct)
    {
        if (row is not { TenantId: { } tenantId, WorkspaceId: { } workspaceId })
            return null;
        var evt = WahaWebhookParser.Parse(Encoding.UTF8.GetBytes(row.Payload));
        switch (evt)
        {
            case SessionStatusChanged s:
                await connections.ApplyStatusAsync(tenantId, workspaceId, s.Status, s.Me, ct);
                return null;
            case MessageReceived m:
                await inbound.HandleReceivedAsync(tenantId, workspaceId, m.Session, m.Message, ct);
                return null;
            case MessageAcked a:
                // An ack can overtake the message it acknowledges (our own send not yet stored): try again later.
                return await inbound.HandleAckAsync(tenantId, workspaceId, a.MessageId, a.Status, ct) ? null : UnknownAck;
            default:
                return null;
        }
    }
}
