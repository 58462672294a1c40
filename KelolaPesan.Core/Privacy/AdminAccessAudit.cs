using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Privacy;

/// <summary>
/// The policy's promise that an admin's access to a tenant's data is logged: a console view showing one tenant's
/// data writes an audit entry with the admin as the actor and that tenant. Paging and filtering within the same view
/// are one access, so a repeat by the same admin within <see cref="Window"/> is not written again.
/// </summary>
public sealed class AdminAccessAudit(IKelolaDbFactory dbFactory, AuditLog audit, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    /// <summary>Records that <paramref name="admin"/> viewed <paramref name="view"/> of a tenant; true when an entry was written.</summary>
    public async Task<bool> RecordAsync(AuditActor admin, Guid tenantId, string view, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateSystem();
        if (!await db.Tenants.AnyAsync(t => t.Id == tenantId, ct))
            return false;
        var since = clock.GetUtcNow() - Window;
        if (await db.AuditEntries.AnyAsync(a => a.Action == PrivacyAuditActions.AdminViewedTenantData && a.TenantId == tenantId
                                               && a.ActorId == admin.Id && a.TargetType == view && a.At > since, ct))
            return false;
        await audit.WriteAsync(PrivacyAuditActions.AdminViewedTenantData, admin, tenantId, view, tenantId.ToString(),
            $"{admin.Name} viewed {view}", ct);
        return true;
    }
}

/// <summary>The admin console's views that show one tenant's data.</summary>
public static class AdminViews
{
    public const string TenantAuditLog = "TenantAuditLog";
}
