using System.Collections.Concurrent;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>Broadcast and workspace state around the sends: completion, pause on disconnect, notifications, budget rows, context and progress events.</summary>
public sealed partial class BroadcastDispatcher
{
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
                    .SetProperty(x => x.Status, BroadcastStatus.Paused).SetProperty(x => x.StatusReason, Limit(reason, 1000))
                    .SetProperty(x => x.PauseCause, BroadcastPauseCause.Disconnected), ct) == 1)
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
        try
        {
            await db.SaveChangesAsync(ct);
            return budget;
        }
        catch (DbUpdateException)
        {
            // Another dispatcher of this workspace (another node, or a run that overlapped) made today's row first:
            // the unique (WorkspaceId, Day) index refused ours; theirs is the one to spend from.
            db.SendBudgets.Entry(budget).State = EntityState.Detached;
            return await db.SendBudgets.SingleAsync(b => b.WorkspaceId == context.WorkspaceId && b.Day == today, ct);
        }
    }

    /// <summary>
    /// The workspace, its tenant's zone, its connection, and whether a recovery or a history check
    /// waits, in one statement; then the tier's policy. Read per run (a run is usually one send), so none of it is stale.
    /// </summary>
    private async Task<DispatchContext?> LoadContextAsync(IKelolaDb db, Guid tenantId, Guid workspaceId, CancellationToken ct)
    {
        var sending = RecipientQueries.InStatus(db, workspaceId, RecipientStatus.Sending);
        var ws = await db.Workspaces.AsNoTracking().Where(w => w.Id == workspaceId).Select(w => new
        {
            w.Name,
            w.ExternalSessionId,
            Connected = w.ConnectionStatus == ConnectionStatus.Connected,
            Zone = db.Tenants.Where(t => t.Id == tenantId).Select(t => t.TimeZone).FirstOrDefault(),
            Marked = db.SendBudgets.Any(b => b.WorkspaceId == workspaceId && b.NeedsRecovery),
            LeftSending = sending.Any(r => r.Error == null || r.Error != AwaitingCheck),
            Awaiting = sending.Any(r => r.Error == AwaitingCheck),
        }).FirstOrDefaultAsync(ct);
        if (ws is null)
            return null;
        // The tier's policy through a system context: licences are platform rows, invisible to this tenant's context
        // (read here, the tier was always null and every tenant was paced by the default policy).
        var policy = await policies.GetEffectiveAsync(tenantId, ct);
        return new DispatchContext(tenantId, workspaceId, ws.Name, ws.ExternalSessionId, BroadcastClock.Zone(ws.Zone), policy,
            ws.Connected, ws.Marked, ws.LeftSending, ws.Awaiting);
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
}
