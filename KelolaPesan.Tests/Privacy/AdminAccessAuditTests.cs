using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Privacy;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Privacy;

/// <summary>The policy's promise that an admin's access to a tenant's data is logged, with the admin as actor and the tenant.</summary>
public sealed class AdminAccessAuditTests
{
    private static readonly AuditActor Admin = new(AuditActorType.Admin, Guid.NewGuid(), "admin@kelolapesan.local");

    [Fact]
    public async Task AnAdminViewingATenantsData_IsAudited_OncePerWindow_AndTheTenantOwnerSeesIt()
    {
        await using var host = await PrivacyHost.CreateAsync();

        Assert.True(await host.Run<AdminAccessAudit, bool>(a => a.RecordAsync(Admin, host.Alpha, AdminViews.TenantAuditLog)));
        // Paging through the same view a moment later is the same access.
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(await host.Run<AdminAccessAudit, bool>(a => a.RecordAsync(Admin, host.Alpha, AdminViews.TenantAuditLog)));
        // Another tenant, another admin, or the same view after the window: each is a new access.
        Assert.True(await host.Run<AdminAccessAudit, bool>(a => a.RecordAsync(Admin, host.Bravo, AdminViews.TenantAuditLog)));
        var other = Admin with { Id = Guid.NewGuid(), Name = "admin2" };
        Assert.True(await host.Run<AdminAccessAudit, bool>(a => a.RecordAsync(other, host.Alpha, AdminViews.TenantAuditLog)));
        host.Clock.Advance(AdminAccessAudit.Window);
        Assert.True(await host.Run<AdminAccessAudit, bool>(a => a.RecordAsync(Admin, host.Alpha, AdminViews.TenantAuditLog)));
        // An id that is no tenant writes nothing.
        Assert.False(await host.Run<AdminAccessAudit, bool>(a => a.RecordAsync(Admin, Guid.NewGuid(), AdminViews.TenantAuditLog)));

        await using (var db = host.Database.CreateSystem())
        {
            var entries = await db.AuditEntries.Where(e => e.Action == PrivacyAuditActions.AdminViewedTenantData).ToListAsync();
            Assert.Equal(4, entries.Count);
            Assert.Equal(3, entries.Count(e => e.TenantId == host.Alpha));
            Assert.All(entries, e => Assert.Equal((AuditActorType.Admin, AdminViews.TenantAuditLog), (e.ActorType, e.TargetType)));
            Assert.Equal(3, entries.Count(e => e.ActorId == Admin.Id && e.ActorName == Admin.Name));
        }

        // The owner's audit page (tenant-filtered) shows the admin's visits to their tenant, and only those.
        host.CurrentTenant = host.Bravo;
        var bravo = await host.Run<AuditQuery, AuditPage>(q => q.ListForCurrentTenantAsync(new AuditFilter(Action: PrivacyAuditActions.AdminViewedTenantData), 0, 50));
        var seen = Assert.Single(bravo.Items);
        Assert.Equal((host.Bravo, Admin.Id), (seen.TenantId, seen.ActorId));
    }
}
