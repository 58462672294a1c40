using KelolaPesan.Core.Common;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Tenancy;

/// <summary>
/// The admin's tenants overview (platform tenant excluded): workspaces with connection status, outbound messages
/// since local midnight (Asia/Jakarta), last activity and licence state. Admin callers only (a system context).
/// </summary>
public sealed class TenantOverview(IKelolaDbFactory dbFactory, TimeProvider clock)
{
    public const int MaxRows = 200;

    public async Task<IReadOnlyList<TenantOverviewRow>> ListAsync(TenantOverviewQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        var tenants = db.Tenants.AsNoTracking().Where(t => !t.IsPlatform);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim();
            tenants = tenants.Where(t => t.Name.Contains(term) || t.Licence!.CodePrefix.Contains(term.ToUpper())
                || (t.Agency != null && t.Agency.Name.Contains(term)));
        }
        if (query.AgencyOnly)
            tenants = tenants.Where(t => t.AgencyId != null);

        var rows = await tenants.OrderBy(t => t.Name).Take(MaxRows)
            .Select(t => new
            {
                t.Id, t.Name, t.LastActivityAt, Agency = t.Agency != null ? t.Agency.Name : null,
                t.Licence!.Status, t.Licence.ExpiresAt, t.Licence.Tier, t.Licence.CodePrefix,
            })
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToList();

        var workspaces = (await db.Workspaces.AsNoTracking().Where(w => ids.Contains(w.TenantId))
                .Select(w => new TenantWorkspace(w.Id, w.TenantId, w.Name, w.PhoneNumber, w.ConnectionStatus))
                .ToListAsync(cancellationToken))
            .OrderBy(w => w.Name).ToLookup(w => w.TenantId);

        // The owner notifications go to: the first active owner with a number (as PlatformNotifier picks it).
        var ownerPhones = (await db.Users.AsNoTracking()
                .Where(u => u.TenantId != null && ids.Contains(u.TenantId.Value) && u.Role == Accounts.UserRole.Owner && u.IsActive && u.Phone != null && u.Phone != "")
                .Select(u => new { u.Id, TenantId = u.TenantId!.Value, u.Phone }).ToListAsync(cancellationToken))
            .OrderBy(u => u.Id).GroupBy(u => u.TenantId).ToDictionary(g => g.Key, g => g.First().Phone);

        var since = LocalMidnightUtc(clock.GetUtcNow());
        var sentToday = await db.Messages.Where(m => ids.Contains(m.TenantId) && m.Direction == MessageDirection.Outbound && m.SentAt >= since)
            .GroupBy(m => m.TenantId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);

        var now = clock.GetUtcNow();
        var result = new List<TenantOverviewRow>();
        foreach (var r in rows)
        {
            var state = LicenceStates.Of(r.Status, r.ExpiresAt, now);
            if (query.State is { } wanted && wanted != state)
                continue;
            var tenantWorkspaces = workspaces[r.Id].ToList();
            if (query.DisconnectedOnly && tenantWorkspaces.All(w => w.Status == ConnectionStatus.Connected))
                continue;
            // Last activity: the newest of the stored marker and the last message (sorted, not aggregated: SQLite stores ticks).
            var lastMessage = await db.Messages.Where(m => m.TenantId == r.Id).OrderByDescending(m => m.SentAt)
                .Select(m => (DateTimeOffset?)m.SentAt).FirstOrDefaultAsync(cancellationToken);
            var lastActivity = new[] { r.LastActivityAt, lastMessage }.Max();
            result.Add(new TenantOverviewRow(r.Id, r.Name, r.Agency, r.CodePrefix, r.Tier, state, r.ExpiresAt, lastActivity,
                sentToday.GetValueOrDefault(r.Id), tenantWorkspaces, ownerPhones.GetValueOrDefault(r.Id)));
        }
        return result;
    }

    /// <summary>The start of today in Asia/Jakarta, as a UTC instant.</summary>
    public static DateTimeOffset LocalMidnightUtc(DateTimeOffset now)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Tenant.DefaultTimeZone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var midnight = new DateTimeOffset(local.Date, zone.GetUtcOffset(local.Date));
        return midnight.ToUniversalTime();
    }
}

public sealed record TenantOverviewQuery(string? Search = null, LicenceState? State = null, bool DisconnectedOnly = false, bool AgencyOnly = false);

public sealed record TenantWorkspace(Guid Id, Guid TenantId, string Name, string? PhoneNumber, ConnectionStatus Status);

public sealed record TenantOverviewRow(
    Guid TenantId, string Name, string? Agency, string CodePrefix, PolicyTier Tier, LicenceState LicenceState, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastActivityAt, int MessagesSentToday, IReadOnlyList<TenantWorkspace> Workspaces, string? OwnerPhone = null);
