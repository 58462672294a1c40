using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Workspaces;

/// <summary>Core's real services (<see cref="ServiceHost"/>) with the simulator gateway and a tenant of its own.</summary>
public sealed class CoreServiceHost : ServiceHost
{
    private CoreServiceHost(TestDatabase database, IReadOnlyDictionary<string, string?>? settings, TimeProvider? clock, Guid tenantId)
        : base(database, settings, clock) => TenantId = tenantId;

    public Guid TenantId { get; }
    protected override Guid? ScopeTenant => TenantId;

    /// <param name="settings">Configuration over the simulator defaults (e.g. <c>Gateway:Kind</c> = Waha and its base URL).</param>
    /// <param name="clock">A clock for the services (a FakeTimeProvider to move days); the system clock otherwise.</param>
    /// <param name="configure">Registrations of the first node after the defaults (e.g. a <see cref="ReadCounter"/>).</param>
    public static async Task<CoreServiceHost> CreateAsync(int maxWorkspaces = 2, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? clock = null,
        DatabaseProvider provider = DatabaseProvider.Sqlite, Action<IServiceCollection, TestDatabase>? configure = null,
        IEnumerable<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>? interceptors = null)
    {
        var database = await TestDatabase.CreateAsync(provider, clock, interceptors: interceptors);
        var tenant = await database.SeedAsync(db => Seed.Tenant(db, licence: l => l.MaxWorkspaces = maxWorkspaces));
        return new CoreServiceHost(database, settings, clock, tenant.Id) { FirstNode = configure is null ? null : services => configure(services, database) };
    }

    /// <summary>A stored workspace of the host's tenant, with a gateway session name of its own.</summary>
    public async Task<Core.Workspaces.Workspace> AddWorkspaceAsync(string name = "Toko")
    {
        await using var db = Database.CreateSystem();
        var workspace = Seed.In(db, TenantId).Workspace(name, Seed.NewSession());
        await db.SaveChangesAsync();
        return workspace;
    }
}
