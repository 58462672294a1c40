using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace KelolaPesan.Web.Jobs;

/// <summary>
/// The send queue of one workspace: one durable job per workspace, never concurrent, re-triggered at the time the
/// dispatcher asks for next. Triggers live in the persistent store, so scheduled broadcasts survive restarts, and
/// recovery re-runs a job a crash interrupted (the dispatcher then reconciles what was left Sending). A run keeps its
/// queue for up to <see cref="RunLength"/>, waiting in memory between paced sends (docs/adr/0030), so the store pays
/// one fire per run rather than one per send.
/// </summary>
[DisallowConcurrentExecution]
public sealed class BroadcastDispatchJob(BroadcastDispatcher dispatcher, IBroadcastScheduler scheduler, BroadcastHolds holds, ILogger<BroadcastDispatchJob> logger) : IJob
{
    public const string Group = "broadcasts";
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(30);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var tenantId = Guid.Parse(context.MergedJobDataMap.GetString("tenantId")!);
        var workspaceId = Guid.Parse(context.MergedJobDataMap.GetString("workspaceId")!);
        // Counted until the run ends: stopping the app waits for that, then stores the handed-over queues' triggers.
        using var counted = holds.Enter();
        DispatchRun run;
        try
        {
            // The run waits for the sends due within its length (a batch also fires triggers up to the fire-ahead window early).
            run = await dispatcher.RunAsync(tenantId, workspaceId, maxSends: 500, maxDuration: RunLength, ct: cancellationToken, hold: RunLength);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failed run (a locked database, a gateway fault) must not stop the queue: nothing else would wake it.
            logger.LogError(ex, "Dispatching for workspace {WorkspaceId} failed; trying again in {Delay}", workspaceId, RetryDelay);
            await WakeAsync(tenantId, workspaceId, DateTimeOffset.UtcNow + RetryDelay, cancellationToken);
            return;
        }
        if (run.Sent + run.Failed + run.Skipped > 0)
            logger.LogDebug("Workspace {WorkspaceId}: {Sent} sent, {Failed} failed, {Skipped} skipped; next {Next}", workspaceId, run.Sent, run.Failed, run.Skipped, run.NextRunAt);
        // Woken a moment early: the run starts, reads its queue and waits in memory for the planned time (it never sends
        // before it), so the store's latency to fire the trigger is spent waiting instead of making the send late.
        if (run.NextRunAt is { } next)
            await WakeAsync(tenantId, workspaceId, next - WakeLead, cancellationToken);
    }

    private Task WakeAsync(Guid tenantId, Guid workspaceId, DateTimeOffset at, CancellationToken ct)
    {
        // Stopping: a trigger each, one after the other, would outlast the stop; they are stored in one batch (BroadcastHoldsStop).
        if (holds.Stopping)
        {
            holds.HandOver(tenantId, workspaceId);
            return Task.CompletedTask;
        }
        // The job runs, so it exists: its re-wake skips that look-up (one Quartz store transaction less per run).
        return scheduler is QuartzBroadcastScheduler quartz ? quartz.WakeAsync(tenantId, workspaceId, at, jobExists: true, ct) : scheduler.WakeAsync(tenantId, workspaceId, at, ct);
    }

    /// <summary>
    /// How long one run keeps its queue. Longer: fewer fires, but a wake from another node (this node's wakes end the
    /// wait at once) and a changed policy or tier reach a running queue up to this late. 120 s, not 60: at 1,000 paced
    /// workspaces on PostgreSQL, 16 fires/s kept the clustered store's lock busy enough to start runs seconds late (the
    /// sends opening a run p95 0.1-5.2 s from one bench run to the next); at 8.5-8.8 fires/s, with the lead, every
    /// workspace kept its pacing in two runs, though the store still started runs p95 2.4 s late in one (docs/adr/0034).
    /// </summary>
    public static readonly TimeSpan RunLength = TimeSpan.FromSeconds(120);

    /// <summary>
    /// How long before its queue's next time a run's own re-wake fires. On PostgreSQL at 1,000 paced workspaces the sends
    /// opening a run were late by p95 812 ms, p99 1.4 s (the clustered store's acquisition and locks; the sends within a
    /// run p95 12 ms): the lead covers that. It costs a held slot for this long per run, nothing else.
    /// </summary>
    public static readonly TimeSpan WakeLead = TimeSpan.FromSeconds(2);
}

/// <summary>Quartz form of <see cref="IBroadcastScheduler"/>: one trigger per workspace, moved earlier, never later, by a wake.</summary>
public sealed class QuartzBroadcastScheduler(ISchedulerFactory schedulers, BroadcastHolds holds) : IBroadcastScheduler
{
    public static JobKey JobKeyFor(Guid workspaceId) => new($"dispatch-{workspaceId}", BroadcastDispatchJob.Group);
    public static TriggerKey TriggerKeyFor(Guid workspaceId) => new($"dispatch-{workspaceId}", BroadcastDispatchJob.Group);

    public async Task WakeAsync(Guid tenantId, Guid workspaceId, DateTimeOffset at, CancellationToken ct = default)
    {
        await WakeAsync(tenantId, workspaceId, at, false, ct);
        // A run of this queue holding on this node looks again now; its trigger is BLOCKED until the run ends.
        holds.Wake(workspaceId);
    }

    internal async Task WakeAsync(Guid tenantId, Guid workspaceId, DateTimeOffset at, bool jobExists, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var jobKey = JobKeyFor(workspaceId);
        if (!jobExists && !await scheduler.Exists(jobKey, ct))
            await scheduler.AddJob(Job(tenantId, workspaceId), AddJobOptions.Replacing, ct);
        var triggerKey = TriggerKeyFor(workspaceId);
        var trigger = Trigger(workspaceId, at);
        // Another process (a cluster node, or this one's running job or recovery) may add or remove the trigger between
        // the read and the write: look again until the wake is in place, never lose it.
        for (var attempt = 1; ; attempt++)
        {
            var existing = await scheduler.GetTrigger(triggerKey, ct);
            if (existing is null)
            {
                try
                {
                    await scheduler.ScheduleJob(trigger, cancellationToken: ct);
                    return;
                }
                catch (ObjectAlreadyExistsException) when (attempt < MaxWakeAttempts)
                {
                    continue;
                }
            }
            // A trigger already due earlier stays; a later one (or one that already fired) moves to this time.
            if (existing.NextFireTimeUtc is { } fires && fires <= at)
                return;
            // Null: the trigger was removed since the read (its run completed, or a cluster recovery removed it).
            if (await scheduler.RescheduleJob(triggerKey, trigger, ct) is not null || attempt >= MaxWakeAttempts)
                return;
        }
    }

    private const int MaxWakeAttempts = 5;

    /// <summary>
    /// The queues whose runs ended because the app stops, due now, in one store transaction: another node takes them at
    /// once (its run waits for the planned time, so nothing goes early), or this node at its next start. Due now also
    /// means no later time replaces an earlier one another node stored meanwhile.
    /// </summary>
    internal async Task HandOverAsync(IReadOnlyList<HandedOverQueue> queues, CancellationToken ct)
    {
        if (queues.Count == 0)
            return;
        var scheduler = await schedulers.GetScheduler(ct);
        var now = DateTimeOffset.UtcNow;
        await scheduler.ScheduleJobs(queues.DistinctBy(q => q.WorkspaceId).ToDictionary(
            q => Job(q.TenantId, q.WorkspaceId), q => (IReadOnlyCollection<ITrigger>)[Trigger(q.WorkspaceId, now)]), ScheduleJobOptions.Replacing, ct);
    }

    private static IJobDetail Job(Guid tenantId, Guid workspaceId) =>
        JobBuilder.Create<BroadcastDispatchJob>().WithIdentity(JobKeyFor(workspaceId)).StoreDurably().RequestRecovery()
            .UsingJobData("tenantId", tenantId.ToString()).UsingJobData("workspaceId", workspaceId.ToString()).Build();

    // A wake means "run at or after this time", however late: a trigger kept BLOCKED (the job still running, or a dead
    // cluster node's run not yet recovered) for longer than Quartz's misfire threshold (60 s) is skipped by the trigger
    // acquisition and left to the misfire handler, up to another minute later. Ignoring misfires lets it fire as soon
    // as the job is free.
    private static ITrigger Trigger(Guid workspaceId, DateTimeOffset at) =>
        TriggerBuilder.Create().WithIdentity(TriggerKeyFor(workspaceId)).ForJob(JobKeyFor(workspaceId)).StartAt(at)
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.IgnoreMisfires)).Build();
}

/// <summary>At start-up: every workspace with running or scheduled broadcasts, or active sequences, gets its queue woken (the first run recovers).</summary>
public sealed class BroadcastStartup(IServiceProvider services, ILogger<BroadcastStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            var factory = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>();
            var scheduler = scope.ServiceProvider.GetRequiredService<IBroadcastScheduler>();
            await using var db = factory.CreateSystem();
            var workspaces = await db.Broadcasts.AsNoTracking()
                .Where(b => b.Status == BroadcastStatus.Running || b.Status == BroadcastStatus.Scheduled)
                .Select(b => new { b.TenantId, b.WorkspaceId })
                .Union(db.Sequences.AsNoTracking().Where(s => s.IsActive).Select(s => new { s.TenantId, s.WorkspaceId }))
                .Distinct().ToListAsync(stoppingToken);
            foreach (var w in workspaces)
                await scheduler.WakeAsync(w.TenantId, w.WorkspaceId, DateTimeOffset.UtcNow, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Waking the broadcast queues at start-up failed");
        }
    }
}

/// <summary>
/// When the app stops, before any hosted service's StopAsync (Quartz's shuts the scheduler down there; docs/adr/0030):
/// this node fires nothing more, the runs holding their queues end, and their queues' triggers are stored in one batch
/// while the scheduler still takes them.
/// </summary>
public sealed class BroadcastHoldsStop(BroadcastHolds holds, ISchedulerFactory schedulers, IBroadcastScheduler broadcastScheduler, ILogger<BroadcastHoldsStop> logger)
    : IHostedLifecycleService
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        // Before the runs end: a trigger due now must not start a run here that would end at once.
        await (await schedulers.GetScheduler(cancellationToken)).Standby(cancellationToken);
        var queues = await holds.StopAllAsync(MaxWait, cancellationToken);
        if (broadcastScheduler is QuartzBroadcastScheduler quartz)
            await quartz.HandOverAsync(queues, cancellationToken);
        logger.LogInformation("Stopping: {Count} broadcast queues handed over", queues.Count);
    }
}
