using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Tenancy;

/// <summary>The workspace quota of a tenant's licence; the workspace feature asks before it creates one.</summary>
public sealed class LicenceQuota(IKelolaDbFactory dbFactory)
{
    /// <summary>True while the tenant has fewer non-deleted workspaces than its licence's MaxWorkspaces.</summary>
    public async Task<bool> CanCreateWorkspaceAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        var (used, max) = await WorkspaceQuotaAsync(tenantId, cancellationToken);
        return used < max;
    }

    public async Task<(int Used, int Max)> WorkspaceQuotaAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        var max = await (from t in db.Tenants join l in db.Licences on t.LicenceId equals l.Id where t.Id == tenantId select (int?)l.MaxWorkspaces)
            .FirstOrDefaultAsync(cancellationToken) ?? 0;
        // The soft-delete filter leaves deleted workspaces out of the count.
        var used = await db.Workspaces.CountAsync(w => w.TenantId == tenantId, cancellationToken);
        return (used, max);
    }

    /// <summary>Active users of the tenant (owner included) and its licence's MaxUsers (null = unlimited).</summary>
    public async Task<(int Used, int? Max)> UserQuotaAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        var max = await (from t in db.Tenants join l in db.Licences on t.LicenceId equals l.Id where t.Id == tenantId select l.MaxUsers)
            .FirstOrDefaultAsync(cancellationToken);
        var used = await db.Users.CountAsync(u => u.TenantId == tenantId && u.IsActive, cancellationToken);
        return (used, max);
    }
}
