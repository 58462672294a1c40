using KelolaPesan.Core.Common;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>What the progress views show: the stored broadcast plus its workspace's situation, computed by <see cref="BroadcastOutlookCalculator"/>.</summary>
public sealed partial class BroadcastService
{
    /// <summary>The broadcast's outlook now; null when it is not the tenant's.</summary>
    public async Task<BroadcastOutlook?> OutlookAsync(Guid broadcastId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var broadcast = await db.Broadcasts.AsNoTracking().FirstOrDefaultAsync(b => b.Id == broadcastId, ct);
        return broadcast is null ? null : await OutlookAsync(db, broadcast, ct);
    }

    /// <summary>
    /// One workspace's running and paused broadcasts with their outlooks, oldest first: the dashboard card. A paused one
    /// stays there (marked by its outlook) until it is resumed or cancelled, so it is not forgotten.
    /// </summary>
    public async Task<IReadOnlyList<(BroadcastSummary Summary, BroadcastOutlook Outlook)>> ListRunningOutlooksAsync(Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var rows = await db.Broadcasts.AsNoTracking()
            .Where(b => b.WorkspaceId == workspaceId && b.SequenceStepId == null && (b.Status == BroadcastStatus.Running || b.Status == BroadcastStatus.Paused))
            .Join(db.Workspaces, b => b.WorkspaceId, w => w.Id, (b, w) => new { b, w.Name }).ToListAsync(ct);
        var list = new List<(BroadcastSummary, BroadcastOutlook)>();
        foreach (var row in rows.OrderBy(r => r.b.CreatedAt))
            list.Add((BroadcastSummary.From(row.b, row.Name), await OutlookAsync(db, row.b, ct)));
        return list;
    }

    private async Task<BroadcastOutlook> OutlookAsync(IKelolaDb db, Broadcast b, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var final = b.Status is BroadcastStatus.Completed or BroadcastStatus.Cancelled or BroadcastStatus.Draft;
        if (final)
            return BroadcastOutlookCalculator.Compute(b, new BroadcastSituation(TimeZoneInfo.Utc, default, default, 0, false), now);

        var zone = await db.Tenants.AsNoTracking().Where(t => t.Id == b.TenantId).Select(t => t.TimeZone).FirstOrDefaultAsync(ct);
        var policy = await policies.GetEffectiveAsync(b.TenantId, ct);
        var connected = await db.Workspaces.AnyAsync(w => w.Id == b.WorkspaceId && w.ConnectionStatus == ConnectionStatus.Connected, ct);
        var budget = await db.SendBudgets.AsNoTracking().Where(x => x.WorkspaceId == b.WorkspaceId).OrderByDescending(x => x.Day).FirstOrDefaultAsync(ct);
        // The shared queue serves sequence steps first, then running broadcasts in the order they started (the dispatcher's order).
        var ahead = b.Status is BroadcastStatus.Running or BroadcastStatus.Scheduled
            ? (await db.Broadcasts.AsNoTracking()
                .Where(x => x.WorkspaceId == b.WorkspaceId && x.Id != b.Id && x.Status == BroadcastStatus.Running && x.PendingCount > 0)
                .Select(x => new { x.SequenceStepId, x.StartedAt, x.Id, x.PendingCount }).ToListAsync(ct))
                .Where(x => x.SequenceStepId is not null || b.Status == BroadcastStatus.Scheduled
                            || (x.StartedAt, b.StartedAt) is ({ } other, { } own) && (other < own || (other == own && x.Id.CompareTo(b.Id) < 0)))
                .Sum(x => x.PendingCount)
            : 0;
        var pausedBy = b.PausedByUserId is { } userId
            ? await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct)
            : ProblemText.Parse(b.StatusReason) is { Code: PausedByApiKeyReason, Args: [var key, ..] }
                ? ProblemText.Format("Broadcast_ApiKeyName", key)
                : null;
        var situation = new BroadcastSituation(BroadcastClock.Zone(zone), policy.SendWindowStart, policy.SendWindowEnd, policy.DailyCapPerWorkspace, connected,
            budget?.Day, budget?.SentToday ?? 0, budget?.SentInBatch ?? 0, budget?.NextSendAt, budget?.FailureStreak ?? 0, ahead, pausedBy);
        return BroadcastOutlookCalculator.Compute(b, situation, now) with { TimeZoneId = zone };
    }
}
