using KelolaPesan.Core.Common;
using KelolaPesan.Core.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Inbox;

/// <summary>The <see cref="UnreadCountsChanged"/> events of workspaces whose stored unread counters a commit just moved.</summary>
internal static class UnreadCountEvents
{
    /// <summary>
    /// One event per workspace with its stored counters, read in one query after the commit that moved them, so never
    /// older than that change: open pages move their badges from the event instead of each re-reading them (issue 18:
    /// that re-read, coalesced, held a message's badge up to half a second). The workspaces may be of several tenants
    /// (a context that sees them all); a row counts only for its own tenant's pair. A failed read gives events without
    /// figures, which the pages answer by re-reading: the change is committed, telling it must not fail.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, UnreadCountsChanged>> ReadAsync(IKelolaDb db,
        IReadOnlyCollection<(Guid TenantId, Guid WorkspaceId)> workspaces, ILogger logger, CancellationToken ct)
    {
        var events = workspaces.DistinctBy(w => w.WorkspaceId).ToDictionary(w => w.WorkspaceId, w => new UnreadCountsChanged(w.TenantId, w.WorkspaceId));
        try
        {
            var ids = events.Keys.ToList();
            var rows = await db.Workspaces.AsNoTracking().Where(w => ids.Contains(w.Id))
                .Select(w => new { w.Id, w.TenantId, w.UnreadChats, w.UnreadMessages }).ToListAsync(ct);
            foreach (var row in rows.Where(r => events[r.Id].TenantId == r.TenantId))
                events[row.Id] = new UnreadCountsChanged(row.TenantId, row.Id, row.UnreadChats, row.UnreadMessages);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Reading the unread counters of {Count} workspaces after their change failed; the pages re-read them", events.Count);
        }
        return events;
    }

    public static async Task<UnreadCountsChanged> ReadAsync(IKelolaDb db, Guid tenantId, Guid workspaceId, ILogger logger, CancellationToken ct) =>
        (await ReadAsync(db, [(tenantId, workspaceId)], logger, ct))[workspaceId];
}
