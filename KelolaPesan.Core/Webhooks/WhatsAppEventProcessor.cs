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
    /// Processes stored events in arrival order with one read and one write of their rows. Runs of plain customer
    /// messages of a workspace are stored together (<see cref="InboundMessageService.HandleReceivedBatchAsync"/>);
    /// everything else, and any run whose batch fails, goes one by one as in <see cref="ProcessAsync"/>, so one
    /// bad event never holds back the others. A crash before the rows are marked leaves them to the sweep, and
    /// processing again is a no-op (messages are unique by gateway id).
    /// </summary>
    public async Task ProcessBatchAsync(IReadOnlyList<Guid> eventIds, CancellationToken ct = default)
    {
        if (eventIds.Count == 1)
        {
            await ProcessAsync(eventIds[0], ct);
            return;
        }
        await using var db = dbFactory.CreateSystem();
        var ids = eventIds.Distinct().ToList();
        var token = await ClaimAsync(db, ids, ct);
        var rows = (await db.InboundWebhookEvents.Where(e => ids.Contains(e.Id) && e.ProcessedAt == null && e.ClaimToken == token).ToListAsync(ct))
            .OrderBy(e => ids.IndexOf(e.Id)).ToList();
        var attemptsBefore = rows.ToDictionary(r => r.Id, r => r.Attempts);

        var run = new List<(InboundWebhookEvent Row, MessageReceived Message)>();
        foreach (var row in rows)
        {
            MessageReceived? message = null;
            try
            {
                message = row is { TenantId: not null, WorkspaceId: not null }
                    ? WahaWebhookParser.Parse(Encoding.UTF8.GetBytes(row.Payload)) as MessageReceived : null;
            }
            catch (WebhookPayloadException)
            {
                // Handled (and recorded) by the one-by-one path below.
            }
            if (message is not null && InboundMessageService.IsBatchable(message.Message)
                && (run.Count == 0 || (run[0].Row.TenantId == row.TenantId && run[0].Row.WorkspaceId == row.WorkspaceId)))
            {
                run.Add((row, message));
                continue;
            }
            await FlushRunAsync(db, run, ct);
            if (message is not null && InboundMessageService.IsBatchable(message.Message))
                run.Add((row, message));
            else
                await ProcessRowAsync(row, ct);
        }
        await FlushRunAsync(db, run, ct);
        // Rows handled one by one carry their outcome (the batched ones were marked in one statement).
        if (rows.Any(r => r.Attempts != attemptsBefore[r.Id]))
        {
            using (await gate.EnterAsync(CancellationToken.None))
                await db.SaveChangesAsync(CancellationToken.None);
        }
    }

    private async Task FlushRunAsync(IKelolaDb db, List<(InboundWebhookEvent Row, MessageReceived Message)> run, CancellationToken ct)
    {
        if (run.Count == 0)
            return;
        try
        {
            var first = run[0].Row;
            await inbound.HandleReceivedBatchAsync(first.TenantId!.Value, first.WorkspaceId!.Value, run.Select(r => r.Message.Message).ToList(),
                run.Select(r => r.Row.Id).ToList(), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nothing of the batch was committed: each event again on its own, with its own error if any.
            logger.LogInformation(ex, "A batch of {Count} WhatsApp events failed; processing them one by one", run.Count);
            foreach (var (row, _) in run)
                await ProcessRowAsync(row, ct);
        }
        run.Clear();
    }

    /// <summary>
    /// Marks one tenant's events processed in one statement, in the caller's transaction (the one that applied them).
    /// That transaction is a tenant context's, to which raw events, platform rows, are hidden by the query filter
    /// (through it this statement matched nothing and the events were applied again by every sweep); the filter is
    /// lifted for exactly this tenant's events.
    /// </summary>
    internal static Task<int> MarkProcessedAsync(IKelolaDb db, Guid tenantId, IReadOnlyList<Guid> eventIds, DateTimeOffset now, CancellationToken ct) =>
        db.InboundWebhookEvents.IgnoreQueryFilters([QueryFilters.Tenant]).Where(e => e.TenantId == tenantId && eventIds.Contains(e.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.Attempts, e => e.Attempts + 1)
            .SetProperty(e => e.Error, (string?)null)
            .SetProperty(e => e.ProcessedAt, now), ct);

    public async Task ProcessAsync(Guid eventId, CancellationToken ct = default)
    {
        var stages = logger.IsEnabled(LogLevel.Debug) ? new StageClock() : null;
        await using var db = dbFactory.CreateSystem();
        var token = await ClaimAsync(db, [eventId], ct);
        stages?.Mark("claimed");
        if (await db.InboundWebhookEvents.FirstOrDefaultAsync(e => e.Id == eventId, ct) is not { ProcessedAt: null } row || row.ClaimToken != token)
            return;
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
    }

    /// <summary>
    /// Takes the unprocessed events among these that no node holds (or whose holder's lease ran out) with one conditional
    /// UPDATE stamping this call's token: two nodes (one's queue, the other's sweep) never apply the same event.
    /// </summary>
    private async Task<Guid> ClaimAsync(IKelolaDb db, List<Guid> ids, CancellationToken ct)
    {
        var token = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        var until = now + ClaimLease;
        using (await gate.EnterAsync(ct))
            await db.InboundWebhookEvents.Where(e => ids.Contains(e.Id) && e.ProcessedAt == null && (e.ClaimedUntil == null || e.ClaimedUntil <= now))
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
                return await inbound.HandleAckAsync(tenantId, workspaceId, a.MessageId, a.Status, ct) ? null : "The acknowledged message is not known yet.";
            default:
                return null;
        }
    }
}
