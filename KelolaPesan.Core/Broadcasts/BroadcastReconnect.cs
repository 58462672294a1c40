using KelolaPesan.Core.Common;
using KelolaPesan.Core.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>
/// A workspace's number is connected again: the broadcasts the dispatcher paused because it was disconnected run again by
/// themselves. One paused by a person stays paused. The first run after the resume reconciles anything left Sending.
/// </summary>
public sealed class BroadcastReconnect(IKelolaDbFactory dbFactory, IBroadcastScheduler scheduler, IRealtimeBus bus, TimeProvider clock, ILogger<BroadcastReconnect> logger)
{
    public const string ResumedReason = "Broadcast_ResumedAfterReconnect";

    public async Task<int> ResumeAsync(Guid tenantId, Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateForTenant(tenantId);
        var paused = await db.Broadcasts.AsNoTracking()
            .Where(b => b.WorkspaceId == workspaceId && b.Status == BroadcastStatus.Paused && b.PauseCause == BroadcastPauseCause.Disconnected)
            .Select(b => b.Id).ToListAsync(ct);
        var resumed = new List<Guid>();
        foreach (var id in paused)
        {
            // Conditional: a person who paused, resumed or cancelled it meanwhile decides, not this.
            if (await db.Broadcasts.Where(b => b.Id == id && b.Status == BroadcastStatus.Paused && b.PauseCause == BroadcastPauseCause.Disconnected)
                    .ExecuteUpdateAsync(s => s.SetProperty(b => b.Status, BroadcastStatus.Running).SetProperty(b => b.PauseCause, BroadcastPauseCause.None)
                        .SetProperty(b => b.StatusReason, ResumedReason), ct) == 1)
                resumed.Add(id);
        }
        if (resumed.Count == 0)
            return 0;
        await db.SendBudgets.Where(x => x.WorkspaceId == workspaceId).ExecuteUpdateAsync(s => s.SetProperty(x => x.NeedsRecovery, true), ct);
        await scheduler.WakeAsync(tenantId, workspaceId, clock.GetUtcNow(), ct);
        foreach (var id in resumed)
        {
            var evt = new BroadcastProgressChanged(tenantId, workspaceId, id);
            await bus.PublishAsync(Topics.Broadcast(id), evt);
            await bus.PublishAsync(BroadcastTopics.List(tenantId), evt);
        }
        logger.LogInformation("Workspace {WorkspaceId} reconnected: {Count} broadcasts resumed", workspaceId, resumed.Count);
        return resumed.Count;
    }
}
