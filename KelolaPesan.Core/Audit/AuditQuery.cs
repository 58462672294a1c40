using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Audit;

/// <summary>
/// Reads the audit log, newest first. Admins read everything (a system context); a tenant owner reads through the
/// scope's tenant context, whose query filter keeps only that tenant's entries.
/// </summary>
public sealed class AuditQuery(IKelolaDbFactory dbFactory)
{
    public const int MaxPageSize = 200;

    public async Task<AuditPage> ListAllAsync(AuditFilter filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        return await ListAsync(db, filter, skip, take, cancellationToken);
    }

    public async Task<AuditPage> ListForCurrentTenantAsync(AuditFilter filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        return await ListAsync(db, filter with { TenantId = null }, skip, take, cancellationToken);
    }

    /// <summary>Tenant names for the admin's filter (platform tenant excluded).</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> TenantsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        var rows = await db.Tenants.AsNoTracking().Where(t => !t.IsPlatform).OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(cancellationToken);
        return rows.Select(r => (r.Id, r.Name)).ToList();
    }

    private static async Task<AuditPage> ListAsync(IKelolaDb db, AuditFilter filter, int skip, int take, CancellationToken ct)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (filter.TenantId is { } tenantId)
            query = query.Where(a => a.TenantId == tenantId);
        if (!string.IsNullOrWhiteSpace(filter.Action))
            query = query.Where(a => a.Action == filter.Action);
        if (filter.Succeeded is { } succeeded)
            query = query.Where(a => a.Succeeded == succeeded);
        if (filter.From is { } from)
            query = query.Where(a => a.At >= from);
        if (filter.To is { } to)
            query = query.Where(a => a.At < to);
        if (!string.IsNullOrWhiteSpace(filter.Search))
            query = query.Where(a => a.ActorName.Contains(filter.Search) || (a.Details != null && a.Details.Contains(filter.Search)));

        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, MaxPageSize)).ToListAsync(ct);
        return new AuditPage(items, total);
    }
}

public sealed record AuditFilter(Guid? TenantId = null, string? Action = null, bool? Succeeded = null, DateTimeOffset? From = null, DateTimeOffset? To = null, string? Search = null);

public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, int Total);
