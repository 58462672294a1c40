using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;

namespace KelolaPesan.Tests.Audit;

public sealed class AuditQueryTests : IAsyncLifetime
{
    private readonly Guid _tenantA = Guid.NewGuid(), _tenantB = Guid.NewGuid();
    private SqliteTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteTestDatabase.CreateAsync();
        var factory = _db.CreateFactory(SystemTenant.Instance);
        var log = new AuditLog(factory, TimeProvider.System);
        await log.WriteAsync(new AuditRecord(AuditActions.SignIn, AuditActorType.User, "ani", TenantId: _tenantA));
        await log.WriteAsync(new AuditRecord(AuditActions.SignInFailed, AuditActorType.Anonymous, "ani", TenantId: _tenantA, Succeeded: false));
        await log.WriteAsync(new AuditRecord(AuditActions.SignIn, AuditActorType.User, "budi", TenantId: _tenantB));
        await log.WriteAsync(new AuditRecord(AuditActions.PolicyChanged, AuditActorType.Admin, "admin"));
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task ATenantOwner_ReadsOnlyTheirTenantsEntries_EvenWhenAskingForAnotherTenant()
    {
        var scope = new TenantContext();
        scope.SetTenant(_tenantA);
        var query = new AuditQuery(_db.CreateFactory(scope));

        var page = await query.ListForCurrentTenantAsync(new AuditFilter(TenantId: _tenantB), 0, 50);

        Assert.Equal(2, page.Total);
        Assert.All(page.Items, e => Assert.Equal(_tenantA, e.TenantId));
    }

    [Fact]
    public async Task AnAdmin_ReadsEverything_AndFiltersByTenantActionAndResult()
    {
        var query = new AuditQuery(_db.CreateFactory(SystemTenant.Instance));

        Assert.Equal(4, (await query.ListAllAsync(new AuditFilter(), 0, 50)).Total);
        Assert.Equal(2, (await query.ListAllAsync(new AuditFilter(TenantId: _tenantA), 0, 50)).Total);
        Assert.Equal(2, (await query.ListAllAsync(new AuditFilter(Action: AuditActions.SignIn), 0, 50)).Total);
        var failed = await query.ListAllAsync(new AuditFilter(Succeeded: false), 0, 50);
        Assert.Equal(AuditActions.SignInFailed, Assert.Single(failed.Items).Action);
    }
}
