using KelolaPesan.Core;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Data;
using KelolaPesan.Data.Security;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web.Realtime;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Workspaces;

/// <summary>Core's real services over a migrated SQLite test database, with the simulator gateway and a tenant of its own.</summary>
public sealed class CoreServiceHost : IAsyncDisposable
{
    private readonly Func<ServiceProvider> _build;
    private readonly List<ServiceProvider> _nodes = [];

    private CoreServiceHost(TestDatabase database, Func<ServiceProvider> build, Guid tenantId)
    {
        Database = database;
        _build = build;
        Services = build();
        TenantId = tenantId;
    }

    /// <summary>
    /// Another node over the same database: its own service provider (own singletons, caches and workers' state), the
    /// same configuration and attachment folder, as a second app process would have. Disposed with the host.
    /// </summary>
    public ServiceProvider AddNode()
    {
        var node = _build();
        _nodes.Add(node);
        return node;
    }

    public TestDatabase Database { get; }
    public ServiceProvider Services { get; }
    public Guid TenantId { get; }

    /// <param name="settings">Configuration over the simulator defaults (e.g. <c>Gateway:Kind</c> = Waha and its base URL).</param>
    /// <param name="clock">A clock for the services (a FakeTimeProvider to move days); the system clock otherwise.</param>
    public static async Task<CoreServiceHost> CreateAsync(int maxWorkspaces = 2, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? clock = null,
        DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        var database = await TestDatabase.CreateAsync(provider, clock);
        var licence = new Licence { Name = "Test", CodePrefix = "T" + Guid.NewGuid().ToString("N")[..8], CodeHash = [1], MaxWorkspaces = maxWorkspaces };
        var tenant = new Tenant { Name = "Test", LicenceId = licence.Id };
        await using (var db = database.CreateSystem())
        {
            db.Licences.Add(licence);
            db.Tenants.Add(tenant);
            await db.SaveChangesAsync();
        }

        // One key ring for every node, as the app's keys persisted in the database are.
        var protector = new DataProtectionSecretProtector(new EphemeralDataProtectionProvider());
        ServiceProvider Build()
        {
            var services = new ServiceCollection();
            services.AddLogging();
            if (clock is not null)
                services.AddSingleton(clock);
            var config = new Dictionary<string, string?>
            {
                ["Gateway:Kind"] = "Simulator",
                ["Gateway:PublicBaseUrl"] = "http://127.0.0.1:5999",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
                config[key] = value;
            services.AddCoreServices(new ConfigurationBuilder().AddInMemoryCollection(config).Build());
            KelolaPesan.Data.DependencyInjection.AddRelationalWriters(services);
            services.AddSingleton(database.Activator);
            services.AddScoped<TenantContext>(_ =>
            {
                var context = new TenantContext();
                context.SetTenant(tenant.Id);
                return context;
            });
            services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
            services.AddScoped<IKelolaDbFactory, KelolaDbFactory>();
            services.AddSingleton<ISecretProtector>(protector);
            services.AddSingleton<IRealtimeBus, InProcessRealtimeBus>();
            services.AddSingleton<Gateways.RecordingEventSink>();
            services.AddSingleton<KelolaPesan.Core.Gateways.IGatewayEventSink>(sp => sp.GetRequiredService<Gateways.RecordingEventSink>());
            services.AddSingleton<IAttachmentStore>(new LocalAttachmentStore(Path.Combine(database.Folder, "attachments")));
            return services.BuildServiceProvider();
        }
        return new CoreServiceHost(database, Build, tenant.Id);
    }

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    /// <summary>A stored workspace of the host's tenant, with a gateway session name of its own.</summary>
    public async Task<Core.Workspaces.Workspace> AddWorkspaceAsync(string name = "Toko")
    {
        var workspace = new Core.Workspaces.Workspace { TenantId = TenantId, Name = name, ExternalSessionId = "kp-test-" + Guid.NewGuid().ToString("N") };
        await using var db = Database.CreateSystem();
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync();
        return workspace;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
        await Services.DisposeAsync();
        await Database.DisposeAsync();
    }
}
