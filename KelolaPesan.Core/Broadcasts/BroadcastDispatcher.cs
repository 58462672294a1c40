using System.Collections.Concurrent;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>Which workspaces this process has already recovered: the first run after a start-up recovers first.</summary>
public sealed class DispatchRecoveryState
{
    private readonly ConcurrentDictionary<Guid, bool> _done = new();

    public bool TryBegin(Guid workspaceId) => _done.TryAdd(workspaceId, true);
}

/// <summary>What one dispatcher run did, and when the workspace's queue wants to run next (null: nothing left to send).</summary>
public sealed record DispatchRun(int Sent, int Failed, int Skipped, DateTimeOffset? NextRunAt);

/// <summary>
/// The paced send queue of one workspace, shared by every running broadcast (and sequence step) of it. One run claims
/// the next pending recipient (a conditional UPDATE to Sending before the gateway call, so two runners never claim the
/// same row), sends, records Sent with the gateway id (or Failed, or back to Pending on an outage), updates the stored
/// counters and the workspace's budget, and repeats while the next send is already due. The caller (a Quartz job, one per
/// workspace, never concurrent) schedules the next run at <see cref="DispatchRun.NextRunAt"/>.
/// </summary>
public sealed class BroadcastDispatcher(
    IKelolaDbFactory dbFactory,
    IWhatsAppGateway gateway,
    IAttachmentStore attachments,
    PolicyService policies,
    PlatformNotifier notifier,
    IRealtimeBus bus,
    DispatchRecoveryState recovery,
    SequenceService sequences,
    TimeProvider clock,
    ILogger<BroadcastDispatcher> logger)
{
    /// <summary>Written on a recipient whose send timed out: it may have gone out, so it is checked in the chat history before any retry.</summary>
    public const string AwaitingCheck = "The gateway did not answer in time; checking the chat history before trying again.";
    public const string DisconnectedReason = "The WhatsApp number is not connected.";
    public const int HistoryLookup = 20;
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    public async Task<DispatchRun> RunAsync(Guid tenantId, Guid workspaceId, int maxSends = 1_000, TimeSpan? maxDuration = null, CancellationToken ct = default)
    {
        var started = clock.GetTimestamp();
        var limit = maxDuration ?? TimeSpan.FromSeconds(20);
        var context = await LoadContextAsync(tenantId, workspaceId, ct);
        if (context is null)
            return new DispatchRun(0, 0, 0, null);

        await using var db = dbFactory.CreateForTenant(tenantId);
        var budget = await BudgetAsync(db, context, ct);
        if (recovery.TryBegin(workspaceId) | budget.NeedsRecovery)
        {
            await RecoverAsync(tenantId, workspaceId, ct);
            budget.NeedsRecovery = false;
            await db.SaveChangesAsync(ct);
        }

        var sequenceDue = await sequences.MaterialiseDueAsync(tenantId, workspaceId, ct);
        int sent = 0, failed = 0, skipped = 0;
        var first = true;
        var state = new RunState();
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
                if (step.NextRunAt is null || step.NextRunAt > now || sent + failed + skipped >= maxSends || clock.GetElapsedTime(started) > limit)
                {
                    var next = Earliest(step.NextRunAt, sequenceDue);
                    return new DispatchRun(sent, failed, skipped, next is null ? null : next > now ? next : now);
                }
            }
            return new DispatchRun(sent, failed, skipped, clock.GetUtcNow());
        }
        finally
        {
            await PublishAsync(context, touched);
        }
    }

    private sealed record StepResult(DateTimeOffset? NextRunAt, bool Sent = false, bool Failed = false, bool Skipped = false);

    /// <summary>
    /// What a run re-reads at most every <see cref="StateTtl"/> rather than per send (running broadcasts, connection),
    /// and the next pending rows per broadcast, read in pages. A pause or cancel is seen within that time; the claim
    /// itself is always a conditional UPDATE that also re-checks opt-out, so nothing stale is ever sent.
    /// </summary>
    private sealed class RunState
    {
        public List<RunningBroadcast>? Running;
        public long ReadAt;
        public bool Connected;
        public readonly Dictionary<Guid, Queue<Candidate>> Next = new();

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

        // Scheduled broadcasts whose time has come start now (checked once per run: the run returns at the next scheduled time).
        if (firstStep)
            await db.Broadcasts.Where(b => b.WorkspaceId == context.WorkspaceId && b.Status == BroadcastStatus.Scheduled && b.ScheduledAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.Status, BroadcastStatus.Running).SetProperty(b => b.StartedAt, now), ct);

        if (state.Running is null || clock.GetElapsedTime(state.ReadAt) > StateTtl)
        {
            var rows = await db.Broadcasts.AsNoTracking().Where(b => b.WorkspaceId == context.WorkspaceId && b.Status == BroadcastStatus.Running)
                .Select(b => new RunningBroadcast(b.Id, b.Name, b.AttachmentId, b.PendingCount, b.MinDelaySeconds, b.MaxDelaySeconds, b.BatchSize,
                    b.BatchRestSeconds, b.DailyCap, b.WindowStart, b.WindowEnd, b.SequenceStepId, b.StartedAt, b.SentCount, b.FailedCount))
                .ToListAsync(ct);
            state.Running = rows.OrderBy(b => b.SequenceStepId is null ? 1 : 0).ThenBy(b => b.StartedAt).ThenBy(b => b.Id).ToList();
            state.Connected = await IsConnectedAsync(db, context, ct);
            state.ReadAt = clock.GetTimestamp();
            foreach (var gone in state.Next.Keys.Where(id => state.Running.All(b => b.Id != id)).ToList())
                state.Next.Remove(gone);
        }
        var running = state.Running;

        // Sends left awaiting a history check come only from a timeout, which ends the run: checked once per run.
        if (firstStep && await CheckAwaitingAsync(db, context, budget, touched, ct) is { } wait)
            return new StepResult(wait);

        var withWork = running.Where(b => b.PendingCount > 0).ToList();
        foreach (var done in running.Where(b => b.PendingCount <= 0 && b.SequenceStepId is null))
            await CompleteAsync(db, context, done, touched, ct);
        if (withWork.Count == 0)
            return new StepResult(await NextScheduledAsync(db, context, ct));

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

        var claim = await ClaimAsync(db, candidate.Id, now, state, ct);
        touched.Add(candidate.Id);
        if (claim is null)
        {
            state.Invalidate();
            return new StepResult(now);
        }
        if (claim.OptedOut)
        {
            if (await db.BroadcastRecipients.Where(r => r.Id == claim.Id && r.Status == RecipientStatus.Pending)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RecipientStatus.Skipped).SetProperty(r => r.SkipReason, BroadcastAudience.ReasonOptedOut), ct) == 1)
                await CountAsync(db, candidate.Id, pending: -1, skipped: 1, ct: ct);
            return new StepResult(now, Skipped: true);
        }

        try
        {
            var externalId = await SendAsync(context, candidate, claim, ct);
            // The result, the counters and the budget commit together: one write per send after the claim's.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.BroadcastRecipients.Where(r => r.Id == claim.Id && r.Status == RecipientStatus.Sending).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RecipientStatus.Sent).SetProperty(r => r.ExternalMessageId, externalId)
                .SetProperty(r => r.SentAt, now).SetProperty(r => r.Error, (string?)null), ct);
            await CountAsync(db, candidate.Id, pending: -1, sent: 1, ct: ct);
            var nextSend = await SpendAsync(db, budget, candidate, now, ct);
            await tx.CommitAsync(ct);
            return new StepResult(nextSend, Sent: true);
        }
        catch (GatewayException ex) when (IsSessionDown(ex))
        {
            await BackToPendingAsync(db, claim.Id, candidate.Id, ex.Message, ct);
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
                .SetProperty(r => r.Status, RecipientStatus.Failed).SetProperty(r => r.Error, Limit(ex.Message, 1000)), ct);
            await CountAsync(db, candidate.Id, pending: -1, failed: 1, ct: ct);
            return new StepResult(now, Failed: true);
        }
    }

    /// <summary>
    /// Start-up and resume: every recipient of the workspace left Sending (by a crash, not by a timeout being checked)
    /// becomes Uncertain, and every Uncertain one is looked up in the chat history: found, it is Sent with that id;
    /// not found, it stays Uncertain for the manager. Never resent here.
    /// </summary>
    public async Task<int> RecoverAsync(Guid tenantId, Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateForTenant(tenantId);
        var left = await db.BroadcastRecipients.Where(r => r.WorkspaceId == workspaceId && r.Status == RecipientStatus.Sending && (r.Error == null || r.Error != AwaitingCheck))
            .GroupBy(r => r.BroadcastId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        foreach (var group in left)
        {
            var moved = await db.BroadcastRecipients.Where(r => r.BroadcastId == group.Key && r.Status == RecipientStatus.Sending && (r.Error == null || r.Error != AwaitingCheck))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RecipientStatus.Uncertain)
                    .SetProperty(r => r.Error, "The app stopped during this send; looking for it in the chat history."), ct);
            await CountAsync(db, group.Key, pending: -moved, uncertain: moved, ct: ct);
        }

        var session = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.ExternalSessionId).FirstOrDefaultAsync(ct);
        var uncertain = await db.BroadcastRecipients.AsNoTracking()
            .Where(r => r.WorkspaceId == workspaceId && r.Status == RecipientStatus.Uncertain && r.SendingAt != null && r.ExternalMessageId == null)
            .Select(r => new { r.Id, r.BroadcastId, r.Phone, r.RenderedText, r.SendingAt }).ToListAsync(ct);
        var settled = 0;
        foreach (var r in uncertain)
        {
            GatewayChatMessage? match;
            try
            {
                match = await FindInHistoryAsync(session, r.Phone, r.RenderedText, r.SendingAt!.Value, ct);
            }
            catch (GatewayException ex)
            {
                logger.LogWarning("Reconciling recipient {RecipientId} failed: {Error}", r.Id, ex.Message);
                continue;
            }
            if (match is null)
            {
                await db.BroadcastRecipients.Where(x => x.Id == r.Id && x.Status == RecipientStatus.Uncertain).ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.Error, "Not found in the chat history: it may or may not have been delivered. Resend only if you accept a possible duplicate."), ct);
                continue;
            }
            if (await db.BroadcastRecipients.Where(x => x.Id == r.Id && x.Status == RecipientStatus.Uncertain).ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.Status, RecipientStatus.Sent).SetProperty(x => x.ExternalMessageId, match.Id)
                    .SetProperty(x => x.SentAt, match.Timestamp ?? r.SendingAt).SetProperty(x => x.Error, (string?)null), ct) == 1)
            {
                await CountAsync(db, r.BroadcastId, uncertain: -1, sent: 1, ct: ct);
                settled++;
            }
        }
        logger.LogInformation("Recovered workspace {WorkspaceId}: {Left} left sending, {Settled} reconciled as sent", workspaceId, left.Sum(l => l.Count), settled);
        return settled;
    }

    /// <summary>Timed-out sends: found in the history, Sent; not there, back to Pending (the gateway says it never went out).</summary>
    private async Task<DateTimeOffset?> CheckAwaitingAsync(IKelolaDb db, DispatchContext context, WorkspaceSendBudget budget, HashSet<Guid> touched, CancellationToken ct)
    {
        var awaiting = await db.BroadcastRecipients.AsNoTracking()
            .Where(r => r.WorkspaceId == context.WorkspaceId && r.Status == RecipientStatus.Sending && r.Error == AwaitingCheck)
            .Select(r => new { r.Id, r.BroadcastId, r.Phone, r.RenderedText, r.SendingAt }).Take(50).ToListAsync(ct);
        if (awaiting.Count == 0)
            return null;
        var now = clock.GetUtcNow();
        if (budget.NextSendAt is { } next && next > now)
            return next;
        foreach (var r in awaiting)
        {
            touched.Add(r.BroadcastId);
            GatewayChatMessage? match;
            try
            {
                match = await FindInHistoryAsync(context.Session, r.Phone, r.RenderedText, r.SendingAt ?? now, ct);
            }
            catch (GatewayException)
            {
                return await BackOffAsync(db, budget, null, now, ct);
            }
            if (match is null)
                await BackToPendingAsync(db, r.Id, r.BroadcastId, "The gateway did not answer in time and the message is not in the chat; sending again.", ct);
            else if (await db.BroadcastRecipients.Where(x => x.Id == r.Id && x.Status == RecipientStatus.Sending).ExecuteUpdateAsync(s => s
                         .SetProperty(x => x.Status, RecipientStatus.Sent).SetProperty(x => x.ExternalMessageId, match.Id)
                         .SetProperty(x => x.SentAt, match.Timestamp ?? now).SetProperty(x => x.Error, (string?)null), ct) == 1)
                await CountAsync(db, r.BroadcastId, pending: -1, sent: 1, ct: ct);
        }
        return null;
    }

    private async Task<GatewayChatMessage?> FindInHistoryAsync(string? session, string phone, string text, DateTimeOffset sendingAt, CancellationToken ct)
    {
        var chatId = ChatIds.FromPhone(phone.TrimStart('+'));
        var history = await gateway.GetChatMessagesAsync(session ?? "", chatId, HistoryLookup, fromMe: true, ct);
        return history.FirstOrDefault(m => m.FromMe && string.Equals((m.Body ?? "").TrimEnd(), text.TrimEnd(), StringComparison.Ordinal)
                                           && (m.Timestamp is null || m.Timestamp >= sendingAt - ClockSkew));
    }

    private sealed record Claimed(Guid Id, string Phone, string Text, bool OptedOut);

    private sealed record Candidate(Guid Id, string Phone, string Text);

    /// <summary>
    /// The next pending recipient of the broadcast, moved to Sending by a conditional UPDATE that only succeeds while it
    /// is still Pending and its contact has not opted out; a row whose contact opted out comes back marked so.
    /// </summary>
    private async Task<Claimed?> ClaimAsync(IKelolaDb db, Guid broadcastId, DateTimeOffset now, RunState state, CancellationToken ct)
    {
        while (true)
        {
            if (!state.Next.TryGetValue(broadcastId, out var queue) || queue.Count == 0)
            {
                var page = await db.BroadcastRecipients.AsNoTracking().Where(r => r.BroadcastId == broadcastId && r.Status == RecipientStatus.Pending)
                    .OrderBy(r => r.Sequence).Take(PrefetchSize).Select(r => new Candidate(r.Id, r.Phone, r.RenderedText)).ToListAsync(ct);
                if (page.Count == 0)
                {
                    // The stored counter said there was work; it was cancelled or claimed meanwhile. Re-align it.
                    var pending = await db.BroadcastRecipients.CountAsync(r => r.BroadcastId == broadcastId && (r.Status == RecipientStatus.Pending || r.Status == RecipientStatus.Sending), ct);
                    await db.Broadcasts.Where(b => b.Id == broadcastId).ExecuteUpdateAsync(s => s.SetProperty(b => b.PendingCount, pending), ct);
                    return null;
                }
                state.Next[broadcastId] = queue = new Queue<Candidate>(page);
            }
            var next = queue.Dequeue();
            // Conditional: only the runner that moves it from Pending owns it; an opted-out contact is never claimed.
            var won = await db.BroadcastRecipients
                .Where(r => r.Id == next.Id && r.Status == RecipientStatus.Pending && (r.ContactId == null || !db.Contacts.Any(c => c.Id == r.ContactId && c.OptedOut)))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RecipientStatus.Sending).SetProperty(r => r.SendingAt, now).SetProperty(r => r.Attempts, r => r.Attempts + 1), ct) == 1;
            if (won)
                return new Claimed(next.Id, next.Phone, next.Text, false);
            var row = await db.BroadcastRecipients.AsNoTracking().Where(r => r.Id == next.Id)
                .Select(r => new { r.Status, OptedOut = r.ContactId != null && db.Contacts.Any(c => c.Id == r.ContactId && c.OptedOut) }).FirstOrDefaultAsync(ct);
            if (row is { Status: RecipientStatus.Pending, OptedOut: true })
                return new Claimed(next.Id, next.Phone, next.Text, true);
            // Taken, cancelled or skipped meanwhile: the next one.
        }
    }

    private async Task<string> SendAsync(DispatchContext context, RunningBroadcast broadcast, Claimed claim, CancellationToken ct)
    {
        var to = claim.Phone.TrimStart('+');
        if (broadcast.AttachmentId is not { } attachmentId)
            return await gateway.SendTextAsync(new GatewayTextMessage(context.Session ?? "", to, claim.Text), ct);

        await using var db = dbFactory.CreateForTenant(context.TenantId);
        var attachment = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == attachmentId, ct)
            ?? throw new ArgumentException("The attachment of this broadcast was deleted.");
        await using var stream = await attachments.OpenReadAsync(attachment.StorageKey, ct) ?? throw new IOException("The attachment file is missing.");
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        var kind = attachment.MimeType.StartsWith("image/", StringComparison.Ordinal) ? GatewayMediaKind.Image : GatewayMediaKind.File;
        return await gateway.SendMediaAsync(new GatewayMediaMessage(context.Session ?? "", to, kind, attachment.MimeType, attachment.OriginalFileName, claim.Text, Data: buffer.ToArray()), ct);
    }

    /// <summary>After a send: the budget counts it, and the next send waits the random delay, or the rest after a full batch.</summary>
    private async Task<DateTimeOffset> SpendAsync(IKelolaDb db, WorkspaceSendBudget budget, RunningBroadcast b, DateTimeOffset now, CancellationToken ct)
    {
        budget.SentToday++;
        budget.SentInBatch++;
        budget.FailureStreak = 0;
        TimeSpan wait;
        if (budget.SentInBatch >= Math.Max(1, b.BatchSize))
        {
            budget.SentInBatch = 0;
            wait = TimeSpan.FromSeconds(b.BatchRestSeconds);
        }
        else
        {
            wait = TimeSpan.FromSeconds(Random.Shared.Next(b.MinDelaySeconds, Math.Max(b.MinDelaySeconds, b.MaxDelaySeconds) + 1));
        }
        budget.NextSendAt = now + wait;
        await db.SaveChangesAsync(ct);
        return budget.NextSendAt.Value;
    }

    private async Task<DateTimeOffset> BackOffAsync(IKelolaDb db, WorkspaceSendBudget budget, TimeSpan? retryAfter, DateTimeOffset now, CancellationToken ct)
    {
        budget.FailureStreak++;
        var wait = retryAfter ?? TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, 2 * Math.Pow(2, Math.Min(budget.FailureStreak - 1, 10))));
        budget.NextSendAt = now + wait;
        await db.SaveChangesAsync(ct);
        return budget.NextSendAt.Value;
    }

    private async Task BackToPendingAsync(IKelolaDb db, Guid recipientId, Guid broadcastId, string error, CancellationToken ct)
    {
        // The stored pending count includes a recipient being sent, so going back changes no counter.
        await db.BroadcastRecipients.Where(r => r.Id == recipientId && r.Status == RecipientStatus.Sending).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, RecipientStatus.Pending).SetProperty(r => r.Error, Limit(error, 1000)), ct);
    }

    private static Task CountAsync(IKelolaDb db, Guid broadcastId, int pending = 0, int sent = 0, int failed = 0, int skipped = 0, int uncertain = 0, CancellationToken ct = default) =>
        db.Broadcasts.Where(b => b.Id == broadcastId).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.PendingCount, b => b.PendingCount + pending)
            .SetProperty(b => b.SentCount, b => b.SentCount + sent)
            .SetProperty(b => b.FailedCount, b => b.FailedCount + failed)
            .SetProperty(b => b.SkippedCount, b => b.SkippedCount + skipped)
            .SetProperty(b => b.UncertainCount, b => b.UncertainCount + uncertain), ct);

    private async Task CompleteAsync(IKelolaDb db, DispatchContext context, RunningBroadcast b, HashSet<Guid> touched, CancellationToken ct)
    {
        if (await db.BroadcastRecipients.AnyAsync(r => r.BroadcastId == b.Id && (r.Status == RecipientStatus.Sending || r.Status == RecipientStatus.Pending), ct))
            return;
        var now = clock.GetUtcNow();
        if (await db.Broadcasts.Where(x => x.Id == b.Id && x.Status == BroadcastStatus.Running).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.Status, BroadcastStatus.Completed).SetProperty(x => x.FinishedAt, now).SetProperty(x => x.StatusReason, (string?)null), ct) == 1)
        {
            touched.Add(b.Id);
            var counts = await db.Broadcasts.AsNoTracking().Where(x => x.Id == b.Id).Select(x => new { Sent = x.SentCount + x.DeliveredCount + x.ReadCount, x.FailedCount }).FirstAsync(ct);
            await SafelyAsync(() => notifier.NotifyBroadcastFinishedAsync(context.TenantId, b.Id, b.Name, counts.Sent, counts.FailedCount, ct));
            await bus.PublishAsync(Topics.Broadcast(b.Id), new BroadcastFinished(context.TenantId, context.WorkspaceId, b.Id));
        }
    }

    private async Task PauseAllAsync(IKelolaDb db, DispatchContext context, string reason, HashSet<Guid> touched, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var running = await db.Broadcasts.AsNoTracking().Where(b => b.WorkspaceId == context.WorkspaceId && b.Status == BroadcastStatus.Running && b.SequenceStepId == null)
            .Select(b => new { b.Id, b.Name }).ToListAsync(ct);
        foreach (var b in running)
        {
            if (await db.Broadcasts.Where(x => x.Id == b.Id && x.Status == BroadcastStatus.Running).ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.Status, BroadcastStatus.Paused).SetProperty(x => x.StatusReason, Limit(reason, 1000)), ct) == 1)
            {
                touched.Add(b.Id);
                await SafelyAsync(() => notifier.NotifyBroadcastPausedAsync(context.TenantId, b.Id, b.Name, reason, now, ct));
            }
        }
    }

    private async Task NotifyCapAsync(DispatchContext context, DateOnly day, int cap, CancellationToken ct) =>
        await SafelyAsync(() => notifier.NotifyDailyCapReachedAsync(context.TenantId, context.WorkspaceId, context.WorkspaceName, day, cap, ct));

    private async Task SafelyAsync(Func<Task> notify)
    {
        try
        {
            await notify();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A notification is a courtesy: it never stops the queue.
            logger.LogWarning(ex, "Broadcast notification failed");
        }
    }

    private async Task<bool> IsConnectedAsync(IKelolaDb db, DispatchContext context, CancellationToken ct) =>
        await db.Workspaces.AnyAsync(w => w.Id == context.WorkspaceId && w.ConnectionStatus == ConnectionStatus.Connected, ct);

    private static bool IsSessionDown(GatewayException ex) => ex.StatusCode is 404 or 422;

    private async Task<DateTimeOffset?> NextScheduledAsync(IKelolaDb db, DispatchContext context, CancellationToken ct)
    {
        var times = await db.Broadcasts.AsNoTracking().Where(b => b.WorkspaceId == context.WorkspaceId && b.Status == BroadcastStatus.Scheduled)
            .Select(b => b.ScheduledAt).ToListAsync(ct);
        return times.Where(t => t is not null).Min();
    }

    private async Task<WorkspaceSendBudget> BudgetAsync(IKelolaDb db, DispatchContext context, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(BroadcastClock.ToLocal(clock.GetUtcNow(), context.Zone).DateTime);
        var rows = await db.SendBudgets.Where(b => b.WorkspaceId == context.WorkspaceId).OrderByDescending(b => b.Day).Take(1).ToListAsync(ct);
        var latest = rows.FirstOrDefault();
        if (latest?.Day == today)
            return latest;
        var budget = new WorkspaceSendBudget
        {
            TenantId = context.TenantId, WorkspaceId = context.WorkspaceId, Day = today,
            SentInBatch = latest?.SentInBatch ?? 0, NextSendAt = latest?.NextSendAt, NeedsRecovery = latest?.NeedsRecovery ?? false,
        };
        db.SendBudgets.Add(budget);
        await db.SaveChangesAsync(ct);
        return budget;
    }

    private async Task<DispatchContext?> LoadContextAsync(Guid tenantId, Guid workspaceId, CancellationToken ct)
    {
        await using var db = dbFactory.CreateForTenant(tenantId);
        var ws = await db.Workspaces.AsNoTracking().Where(w => w.Id == workspaceId).Select(w => new { w.Name, w.ExternalSessionId }).FirstOrDefaultAsync(ct);
        if (ws is null)
            return null;
        var zone = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.TimeZone).FirstOrDefaultAsync(ct);
        var policy = await policies.GetEffectiveAsync(tenantId, ct);
        return new DispatchContext(tenantId, workspaceId, ws.Name, ws.ExternalSessionId, BroadcastClock.Zone(zone), policy);
    }

    private async Task PublishAsync(DispatchContext context, HashSet<Guid> touched)
    {
        foreach (var id in touched)
        {
            var evt = new BroadcastProgressChanged(context.TenantId, context.WorkspaceId, id);
            await bus.PublishAsync(Topics.Broadcast(id), evt);
            await bus.PublishAsync(BroadcastTopics.List(context.TenantId), evt);
        }
        touched.Clear();
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static TimeOnly Later(TimeOnly a, TimeOnly b) => a > b ? a : b;

    private static string Limit(string value, int max) => value.Length <= max ? value : value[..max];

    private sealed record DispatchContext(Guid TenantId, Guid WorkspaceId, string WorkspaceName, string? Session, TimeZoneInfo Zone, PolicySettings Policy);

    private sealed record RunningBroadcast(Guid Id, string Name, Guid? AttachmentId, int PendingCount, int MinDelaySeconds, int MaxDelaySeconds, int BatchSize,
        int BatchRestSeconds, int DailyCap, TimeOnly? WindowStart, TimeOnly? WindowEnd, Guid? SequenceStepId, DateTimeOffset? StartedAt, int SentCount, int FailedCount);
}
