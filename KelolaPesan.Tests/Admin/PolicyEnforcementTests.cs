using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Admin;

public sealed class PolicyEnforcementTests : IAsyncLifetime
{
    private static readonly AuditActor Admin = new(AuditActorType.Admin, Guid.NewGuid(), "Admin Test");
    private SqliteTestDatabase _db = null!;
    private PolicyService _policies = null!;
    private LicenceQuota _quota = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteTestDatabase.CreateAsync();
        var factory = _db.CreateFactory(SystemTenant.Instance);
        _policies = new PolicyService(factory, new AuditLog(factory, TimeProvider.System));
        _quota = new LicenceQuota(factory);
        await new PlatformDefaults(factory).EnsureAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static readonly PolicySettings Policy = new()
    {
        MinDelaySeconds = 30, MaxDelaySeconds = 60, BatchSize = 50, BatchRestSeconds = 600, DailyCapPerWorkspace = 1000,
    };

    [Fact]
    public void ALooserRequest_IsClampedToThePolicy()
    {
        var clamped = PolicyService.ClampPacing(new BroadcastPacing(MinDelaySeconds: 1, MaxDelaySeconds: 5, BatchSize: 500, BatchRestSeconds: 0, DailyCap: 99_999), Policy);

        Assert.Equal(new BroadcastPacing(30, 60, 50, 600, 1000), clamped);
    }

    [Fact]
    public void AStricterRequest_IsKeptAsAsked()
    {
        var stricter = new BroadcastPacing(MinDelaySeconds: 45, MaxDelaySeconds: 120, BatchSize: 20, BatchRestSeconds: 900, DailyCap: 300);

        Assert.Equal(stricter, PolicyService.ClampPacing(stricter, Policy));
    }

    [Fact]
    public void ALongMinimumDelay_NeverLeavesTheMaximumBelowIt()
    {
        var clamped = PolicyService.ClampPacing(new BroadcastPacing(90, 40, 10, 600, 100), Policy);

        Assert.Equal(90, clamped.MinDelaySeconds);
        Assert.True(clamped.MaxDelaySeconds >= clamped.MinDelaySeconds);
    }

    [Theory]
    [InlineData("08:00", "20:00", "12:00", true)]
    [InlineData("08:00", "20:00", "21:00", false)]
    [InlineData("20:00", "06:00", "23:30", true)]
    [InlineData("20:00", "06:00", "05:59", true)]
    [InlineData("20:00", "06:00", "12:00", false)]
    public void TheSendingWindow_MayRunAcrossMidnight(string start, string end, string at, bool inside) =>
        Assert.Equal(inside, PolicyService.IsInSendWindow(
            new PolicySettings { SendWindowStart = TimeOnly.Parse(start), SendWindowEnd = TimeOnly.Parse(end) }, TimeOnly.Parse(at)));

    [Fact]
    public async Task TheValidator_RefusesADelayRangeUpsideDown_ZeroCaps_AndAnEmptyWindow()
    {
        var bad = PolicyEditorCopy(p => { p.MinDelaySeconds = 90; p.MaxDelaySeconds = 30; p.DailyCapPerWorkspace = 0; p.BatchSize = 0; p.SendWindowEnd = p.SendWindowStart; p.MaxImportBytes = 0; });

        var error = await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => _policies.SaveAsync(bad, Admin));

        var properties = error.Errors.Select(e => e.PropertyName).ToHashSet();
        Assert.Superset(new HashSet<string> { "MinDelaySeconds", "DailyCapPerWorkspace", "BatchSize", "SendWindowEnd", "MaxImportBytes" }, properties);
        Assert.Equal(1000, (await _policies.GetForTierAsync(PolicyTier.Basic)).DailyCapPerWorkspace);
    }

    [Fact]
    public async Task TheEffectivePolicy_IsTheTiersOverride_ElseTheDefault()
    {
        var premium = await AddTenantAsync(PolicyTier.Premium, maxWorkspaces: 1);
        var basic = await AddTenantAsync(PolicyTier.Basic, maxWorkspaces: 1);
        await _policies.SaveAsync(PolicyEditorCopy(p => { p.Tier = PolicyTier.Premium; p.DailyCapPerWorkspace = 5000; p.MinDelaySeconds = 10; }), Admin);

        Assert.Equal(5000, (await _policies.GetEffectiveAsync(premium)).DailyCapPerWorkspace);
        Assert.Equal(1000, (await _policies.GetEffectiveAsync(basic)).DailyCapPerWorkspace);

        await _policies.RemoveOverrideAsync(PolicyTier.Premium, Admin);
        Assert.Equal(1000, (await _policies.GetEffectiveAsync(premium)).DailyCapPerWorkspace);
        await using var db = _db.CreateSystem();
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Action == AuditActions.PolicyChanged));
    }

    [Fact]
    public async Task AWorkspaceOverTheLicenceQuota_IsRefused_AndADeletedOneFreesItsPlace()
    {
        var tenantId = await AddTenantAsync(PolicyTier.Basic, maxWorkspaces: 2);
        Assert.True(await _quota.CanCreateWorkspaceAsync(tenantId));

        await using (var db = _db.CreateSystem())
        {
            db.Workspaces.AddRange(new Workspace { TenantId = tenantId, Name = "Satu" }, new Workspace { TenantId = tenantId, Name = "Dua" });
            await db.SaveChangesAsync();
        }
        Assert.False(await _quota.CanCreateWorkspaceAsync(tenantId));

        await using (var db = _db.CreateSystem())
        {
            var one = await db.Workspaces.FirstAsync(w => w.Name == "Satu");
            one.DeletedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync();
        }
        Assert.True(await _quota.CanCreateWorkspaceAsync(tenantId));
    }

    private static PolicySettings PolicyEditorCopy(Action<PolicySettings> change)
    {
        var p = new PolicySettings();
        change(p);
        return p;
    }

    private async Task<Guid> AddTenantAsync(PolicyTier tier, int maxWorkspaces)
    {
        return await _db.SeedAsync(db => Seed.Tenant(db, "T", l => (l.Tier, l.MaxWorkspaces) = (tier, maxWorkspaces)).Id);
    }
}
