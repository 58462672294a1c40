using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Webhooks;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>What one dispatcher run did, and when the workspace's queue wants to run next (null: nothing left to send).</summary>
public sealed record DispatchRun(int Sent, int Failed, int Skipped, DateTimeOffset? NextRunAt);

/// <summary>
/// The paced send queue of one workspace, shared by every running broadcast (and sequence step) of it. One run claims
/// the next pending recipient (a conditional UPDATE to Sending before the gateway call, so two runners never claim the
/// same row), sends, records Sent with the gateway id (or Failed, or back to Pending on an outage), updates the stored
/// counters and the workspace's budget, and repeats while the next send is already due. The caller (a Quartz job, one per
/// workspace, never concurrent) schedules the next run at <see cref="DispatchRun.NextRunAt"/>.
/// </summary>
public sealed partial class BroadcastDispatcher(
    IKelolaDbFactory dbFactory,
    IWhatsAppGateway gateway,
    IAttachmentStore attachments,
    PolicyService policies,
    PlatformNotifier notifier,
    IRealtimeBus bus,
    SequenceService sequences,
    BroadcastDispatchCache cache,
    BroadcastHolds holds,
    IngestGate gate,
    LicenceStanding licences,
    TimeProvider clock,
    ILogger<BroadcastDispatcher> logger)
{
    /// <summary>Written on a recipient whose send timed out: it may have gone out, so it is checked in the chat history before any retry.</summary>
    public const string AwaitingCheck = "Broadcast_AwaitingCheck";
    public const string DisconnectedReason = "The WhatsApp number is not connected.";
    public const int HistoryLookup = 20;
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How often a queue looks again while its tenant's licence is suspended or expired: it sends nothing meanwhile (its
    /// broadcasts stay as they are, nobody of the tenant can sign in to see them) and goes on by itself once reactivated.
    /// </summary>
    public static readonly TimeSpan LicenceRecheck = TimeSpan.FromMinutes(10);

    /// <param name="hold">
    /// When the queue's next send is due within this time (and within <paramref name="maxDuration"/>), the run waits
    /// for it in memory rather than returning (<see cref="BroadcastHolds"/>, docs/adr/0030): a paced queue then costs
    /// its caller one fire per run, not one per send. Never sends before the planned time: the wait ends at it, and
    /// the step checks it again. A wake on this node ends the wait early; the app stopping ends the run.
    /// </param>
    public async Task<DispatchRun> RunAsync(Guid tenantId, Guid workspaceId, int maxSends = 1_000, TimeSpan? maxDuration = null, CancellationToken ct = default,
        TimeSpan hold = default)
    {
        var started = clock.GetTimestamp();
        var limit = maxDuration ?? TimeSpan.FromSeconds(20);
        await using var db = dbFactory.CreateForTenant(tenantId);
        var context = await LoadContextAsync(db, tenantId, workspaceId, ct);
        if (context is null)
            return new DispatchRun(0, 0, 0, null);
        if (!await licences.IsUsableAsync(tenantId, ct))
            return new DispatchRun(0, 0, 0, clock.GetUtcNow() + LicenceRecheck);

        var budget = await BudgetAsync(db, context, ct);
        await RecoverIfNeededAsync(db, context, budget, ct);

        var sequenceDue = await sequences.MaterialiseDueAsync(tenantId, workspaceId, ct);
        int sent = 0, failed = 0, skipped = 0;
        var first = true;
        var candidates = cache.Take(workspaceId) ?? cache.Fresh();
        var state = new RunState(candidates.Next);
        var touched = new HashSet<Guid>();
        var lastPublish = 0L;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                // A new local day: a fresh budget row, keeping the pacing position.
                if (budget.Day != DateOnly.FromDateTime(BroadcastClock.ToLocal(clock.GetUtcNow(), context.Zone).DateTime))
                    budget = await BudgetAsync(db, context, ct);
                var step = await StepAsync(db, context, budget, touched, first, state, ct);
                first = false;
                sent += step.Sent ? 1 : 0;
                failed += step.Failed ? 1 : 0;
                skipped += step.Skipped ? 1 : 0;
                // Progress at most every 100 ms per run: the pages coalesce again, but the bus need not carry 500 events a second.
                if (clock.GetElapsedTime(lastPublish) > TimeSpan.FromMilliseconds(100) || step.NextRunAt is null)
                {
                    await PublishAsync(context, touched);
                    lastPublish = clock.GetTimestamp();
                }
                var now = clock.GetUtcNow();
                if (hold > TimeSpan.Zero && Earliest(step.NextRunAt, sequenceDue) is { } soon && soon > now && soon - now <= hold
                    && sent + failed + skipped < maxSends && clock.GetElapsedTime(started) + (soon - now) <= limit)
                {
                    // Due within the hold: wait here, then run the step as a run's first (scheduled starts, sequences due).
                    if (await holds.WaitAsync(workspaceId, soon - now, ct) == HoldOutcome.Stopping)
                        return new DispatchRun(sent, failed, skipped, soon);
                    // A run lasts up to two minutes: a suspension made meanwhile stops it here (the answer is cached).
                    if (!await licences.IsUsableAsync(tenantId, ct))
                        return new DispatchRun(sent, failed, skipped, clock.GetUtcNow() + LicenceRecheck);
                    // Stored number-check answers in the pages are trusted for the cache's TTL, however long the run.
                    if (cache.IsStale(candidates))
                    {
                        state.Next.Clear();
                        candidates = candidates with { ReadAt = clock.GetTimestamp() };
                    }
                    if (sequenceDue <= clock.GetUtcNow())
                        sequenceDue = await sequences.MaterialiseDueAsync(tenantId, workspaceId, ct);
                    state.Running = null;
                    first = true;
                    continue;
                }
                if (step.NextRunAt is null || step.NextRunAt > now || sent + failed + skipped >= maxSends || clock.GetElapsedTime(started) > limit || holds.Stopping)
                {
                    var next = Earliest(step.NextRunAt, sequenceDue);
                    return new DispatchRun(sent, failed, skipped, next is null ? null : next > now ? next : now);
                }
            }
            return new DispatchRun(sent, failed, skipped, clock.GetUtcNow());
        }
        finally
        {
            cache.Return(workspaceId, candidates);
            await PublishAsync(context, touched);
        }
    }

    /// <summary>
    /// Before a batch's rest (minutes): one more step at once, on a fresh read, completes a broadcast whose last recipient
    /// this send was; it otherwise showed Running (with Pause and Cancel) until the rest was over. That step then waits.
    /// </summary>
    private static DateTimeOffset BeforeALongWait(RunState state, DateTimeOffset planned, DateTimeOffset sentAt)
    {
        if (planned - sentAt <= LongWait)
            return planned;
        state.Invalidate();
        return sentAt;
    }

    private static readonly TimeSpan LongWait = TimeSpan.FromSeconds(30);

    private sealed record StepResult(DateTimeOffset? NextRunAt, bool Sent = false, bool Failed = false, bool Skipped = false);

    /// <summary>
    /// What a run re-reads at most every <see cref="StateTtl"/> rather than per send (running broadcasts, connection),
    /// and the next pending rows per broadcast, read in pages. A pause or cancel is seen within that time; the claim
    /// itself is always a conditional UPDATE that also re-checks opt-out, so nothing stale is ever sent.
    /// </summary>
    private sealed class RunState(Dictionary<Guid, Queue<Candidate>> next)
    {
        public List<RunningBroadcast>? Running;
        public long ReadAt;
        public bool Connected;
        public readonly Dictionary<Guid, Queue<Candidate>> Next = next;
        public bool LeftSending;

        public void Invalidate()
        {
            Running = null;
            Next.Clear();
        }
    }

    private static readonly TimeSpan StateTtl = TimeSpan.FromMilliseconds(250);
    private const int PrefetchSize = 100;

    private async Task<StepResult> StepAsync(IKelolaDb db, DispatchContext context, WorkspaceSendBudget budget, HashSet<Guid> touched, bool firstStep, RunState state, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var local = BroadcastClock.ToLocal(now, context.Zone);
        var today = DateOnly.FromDateTime(local.DateTime);

        if (state.Running is null || clock.GetElapsedTime(state.ReadAt) > StateTtl)
        {
            // Scheduled broadcasts whose time has come start now, read with the running ones; the UPDATE is issued
            // only when one is due.
            var rows = await RunningAsync(db, context, now, ct);
            if (rows.Any(r => r.Status == BroadcastStatus.Scheduled))
            {
                await db.Broadcasts.Where(b => b.WorkspaceId == context.WorkspaceId && b.Status == BroadcastStatus.Scheduled && b.ScheduledAt <= now)
                    .ExecuteUpdateAsync(s => s.SetProperty(b => b.Status, BroadcastStatus.Running).SetProperty(b => b.StartedAt, now), ct);
                rows = await RunningAsync(db, context, null, ct);
            }
            state.Running = rows.Select(r => r.Broadcast).OrderBy(b => b.SequenceStepId is null ? 1 : 0).ThenBy(b => b.StartedAt).ThenBy(b => b.Id).ToList();
            // The run's first read takes the connection from the context, read a moment ago with the workspace.
            state.Connected = state.ReadAt == 0 ? context.Connected : await IsConnectedAsync(db, context, ct);
            state.ReadAt = clock.GetTimestamp();
            foreach (var gone in state.Next.Keys.Where(id => state.Running.All(b => b.Id != id)).ToList())
                state.Next.Remove(gone);
        }
        var running = state.Running;

        // Sends left awaiting a history check come only from a timeout, which ends the run: checked once per run.
        if (firstStep && context.AnyAwaitingCheck && await CheckAwaitingAsync(db, context, budget, touched, ct) is { } wait)
            return new StepResult(wait);

        var withWork = running.Where(b => b.PendingCount > 0).ToList();
        foreach (var done in running.Where(b => b.PendingCount <= 0 && b.SequenceStepId is null))
            await CompleteAsync(db, context, done, touched, ct);
        if (withWork.Count == 0)
        {
            var scheduled = await NextScheduledAsync(db, context, ct);
            // Its time came while this step ran (the state was read a moment before it): the next step, at once, reads
            // the state again, which starts it. Only a run's first step used to, so the run asked for this same time
            // over and over until its limit.
            if (scheduled <= clock.GetUtcNow())
                state.Invalidate();
            return new StepResult(scheduled);
        }

        if (!state.Connected)
        {
            await PauseAllAsync(db, context, DisconnectedReason, touched, ct);
            return new StepResult(null);
        }
        if (budget.NextSendAt is { } next && next > now)
            return new StepResult(next);

        var time = TimeOnly.FromDateTime(local.DateTime);
        var policyOpen = PolicyService.IsInSendWindow(context.Policy, time);
        var inWindow = withWork.Where(b => policyOpen && BroadcastClock.InWindow(time, b.WindowStart ?? context.Policy.SendWindowStart, b.WindowEnd ?? context.Policy.SendWindowEnd)).ToList();
        if (inWindow.Count == 0)
        {
            var opens = withWork.Select(b => BroadcastClock.NextLocal(now, context.Zone, Later(b.WindowStart ?? context.Policy.SendWindowStart, context.Policy.SendWindowStart))).Min();
            return new StepResult(opens);
        }

        var policyCap = context.Policy.DailyCapPerWorkspace;
        var candidate = inWindow.FirstOrDefault(b => budget.SentToday < Math.Min(b.DailyCap, policyCap));
        if (candidate is null)
        {
            await NotifyCapAsync(context, today, inWindow.Max(b => Math.Min(b.DailyCap, policyCap)), ct);
            return new StepResult(BroadcastClock.NextLocal(now, context.Zone, TimeOnly.MinValue));
        }

        var claim = await ClaimAsync(db, context, candidate.Id, now, state, ct);
        touched.Add(candidate.Id);
        if (claim is null)
        {
            state.Invalidate();
            // Only rows left Sending remain, and another node holds their recovery: this queue comes back when that may be done.
            return new StepResult(state.LeftSending ? now + LeftSendingRetry : now);
        }
        if (claim.OptedOut)
        {
            if (await db.BroadcastRecipients.Where(r => r.Id == claim.Id && r.Status == RecipientStatus.Pending)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RecipientStatus.Skipped).SetProperty(r => r.SkipReason, BroadcastAudience.ReasonOptedOut), ct) == 1)
                await CountAsync(db, candidate.Id, pending: -1, skipped: 1, ct: ct);
            return new StepResult(now, Skipped: true);
        }
        if (await CheckRegistrationAsync(db, context, budget, candidate.Id, claim, now, touched, ct) is { } notSentNow)
            return notSentNow;

        try
        {
            var externalId = await SendAsync(context, candidate, claim, ct);
            // The pace counts from the gateway's answer, not the claim: after a stall between the two (a database or node
            // pause) the next send still waits its delay after this one reached the gateway.
            var sentAt = clock.GetUtcNow();
            // The result, the counters and the budget commit together: one write per send after the claim's.
            if (db.SendResults is { } writer)
            {
                var planned = Spend(budget, candidate, sentAt);
                using (await WriteTurnAsync(db, ct))
                    await writer.RecordSentAsync(new SentResult(context.TenantId, claim.Id, externalId, sentAt, budget), ct);
                return new StepResult(BeforeALongWait(state, planned, sentAt), Sent: true);
            }
            var before = (budget.SentToday, budget.SentInBatch, budget.FailureStreak, budget.NextSendAt);
            using var turn = await WriteTurnAsync(db, ct);
            var nextSend = await db.InTransactionAsync(async ct =>
            {
                // A retried attempt starts from the budget the rolled-back one began with, re-attached in full.
                (budget.SentToday, budget.SentInBatch, budget.FailureStreak, budget.NextSendAt) = before;
                UpdateBudget(db, budget);
                // Counted only if the row is still this run's: a run that stalled past a crash verdict finds it reconciled by another node.
                if (await db.BroadcastRecipients.Where(r => r.Id == claim.Id && r.Status == RecipientStatus.Sending).ExecuteUpdateAsync(s => s
                        .SetProperty(r => r.Status, RecipientStatus.Sent).SetProperty(r => r.ExternalMessageId, externalId)
                        .SetProperty(r => r.SentAt, sentAt).SetProperty(r => r.Error, (string?)null), ct) == 1)
                    await CountAsync(db, candidate.Id, pending: -1, sent: 1, ct: ct);
                var next = Spend(budget, candidate, sentAt);
                await db.SaveChangesAsync(ct);
                return next;
            }, ct);
            return new StepResult(BeforeALongWait(state, nextSend, sentAt), Sent: true);
        }
        catch (GatewayException ex) when (IsSessionDown(ex))
        {
            await BackToPendingAsync(db, claim.Id, candidate.Id, ProblemText.Store(Problem.Of("Gateway_Busy").WithDetail(ex.Message)), ct);
            await PauseAllAsync(db, context, $"{DisconnectedReason} ({ex.Message})", touched, ct);
            return new StepResult(null);
        }
        catch (GatewayException ex) when (ex.IsTransient && ex.StatusCode is null)
        {
            // A timeout or a dropped connection: the message may have gone out. Checked in the history before any retry.
            await db.BroadcastRecipients.Where(r => r.Id == claim.Id && r.Status == RecipientStatus.Sending)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Error, AwaitingCheck), ct);
            return new StepResult(await BackOffAsync(db, budget, null, now, ct));
        }
        catch (GatewayException ex) when (ex.IsTransient)
        {
            // The gateway answered an error (5xx, 429): nothing went out; the recipient waits for the next attempt.
            await BackToPendingAsync(db, claim.Id, candidate.Id, ex.Message, ct);
            return new StepResult(await BackOffAsync(db, budget, (ex as GatewayThrottledException)?.RetryAfter, now, ct));
        }
        catch (Exception ex) when (ex is GatewayException or ArgumentException or IOException)
        {
            await db.BroadcastRecipients.Where(r => r.Id == claim.Id && r.Status == RecipientStatus.Sending).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RecipientStatus.Failed).SetProperty(r => r.Error, Limit(ProblemText.Store(Problem.Of("Gateway_SendFailed").WithDetail(ex.Message)), 1000)), ct);
            await CountAsync(db, candidate.Id, pending: -1, failed: 1, ct: ct);
            return new StepResult(now, Failed: true);
        }
        catch (Exception)
        {
            // The send may have gone out and its result is not written (a database fault after the gateway call): the
            // row stays Sending, and the next run (on any node) reconciles it against the history before anything else.
            await MarkForRecoveryAsync(context);
            throw;
        }
    }

    /// <summary>The running broadcasts, and with a time the scheduled ones due by then (one statement).</summary>
    private static async Task<List<(BroadcastStatus Status, RunningBroadcast Broadcast)>> RunningAsync(IKelolaDb db, DispatchContext context, DateTimeOffset? scheduledBy, CancellationToken ct)
    {
        var due = scheduledBy ?? DateTimeOffset.MinValue;
        var withDue = scheduledBy is not null;
        var rows = await db.Broadcasts.AsNoTracking()
            .Where(b => b.WorkspaceId == context.WorkspaceId && (b.Status == BroadcastStatus.Running || (withDue && b.Status == BroadcastStatus.Scheduled && b.ScheduledAt <= due)))
            .Select(b => new { b.Status, Broadcast = new RunningBroadcast(b.Id, b.Name, b.AttachmentId, b.PendingCount, b.MinDelaySeconds, b.MaxDelaySeconds, b.BatchSize,
                b.BatchRestSeconds, b.DailyCap, b.WindowStart, b.WindowEnd, b.SequenceStepId, b.StartedAt, b.SentCount, b.FailedCount) })
            .ToListAsync(ct);
        return rows.Select(r => (r.Status, r.Broadcast)).ToList();
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static TimeOnly Later(TimeOnly a, TimeOnly b) => a > b ? a : b;

    private static string Limit(string value, int max) => value.Length <= max ? value : value[..max];

    /// <summary>What a run reads once, in one statement with the workspace: its connection, and whether recovery or a history check waits.</summary>
    private sealed record DispatchContext(Guid TenantId, Guid WorkspaceId, string WorkspaceName, string? Session, TimeZoneInfo Zone, PolicySettings Policy,
        bool Connected = true, bool NeedsRecovery = false, bool AnyLeftSending = false, bool AnyAwaitingCheck = true);

    private sealed record RunningBroadcast(Guid Id, string Name, Guid? AttachmentId, int PendingCount, int MinDelaySeconds, int MaxDelaySeconds, int BatchSize,
        int BatchRestSeconds, int DailyCap, TimeOnly? WindowStart, TimeOnly? WindowEnd, Guid? SequenceStepId, DateTimeOffset? StartedAt, int SentCount, int FailedCount);
}
