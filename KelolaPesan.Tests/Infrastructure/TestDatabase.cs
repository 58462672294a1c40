using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Data;
using KelolaPesan.Data.Interceptors;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Infrastructure;

/// <summary>
/// A real, migrated database of its own for one test, on the provider the test runs on (<see cref="ProvidersAttribute"/>):
/// a SQLite file (<see cref="SqliteTestDatabase"/>) or a database on the PostgreSQL server that scripts/test.sh started
/// (<see cref="PostgresTestDatabase"/>). Contexts come from the app's own activator and timestamp interceptor, with a
/// clock the test controls.
/// </summary>
public abstract class TestDatabase : IAsyncDisposable
{
    private protected TestDatabase(string folder, TimeProvider clock, DatabaseSettings settings, IEnumerable<IInterceptor>? interceptors = null)
    {
        Folder = folder;
        Clock = clock;
        Settings = settings;
        Activator = new KelolaDbContextActivator(settings, new TimestampInterceptor(clock), interceptors);
    }

    /// <summary>A temp folder of this test's own (attachments, exports); deleted on dispose.</summary>
    public string Folder { get; }
    public TimeProvider Clock { get; }
    public DatabaseSettings Settings { get; }
    public DatabaseProvider Provider => Settings.Provider;
    public KelolaDbContextActivator Activator { get; }
    public string ConnectionString => Settings.ConnectionString;

    /// <summary>
    /// Registers a database factory whose contexts also carry <paramref name="interceptor"/> (a counter, a plan reader, a
    /// fault), in place of the host's own.
    /// </summary>
    public void Intercept(IServiceCollection services, IInterceptor interceptor)
    {
        var activator = new KelolaDbContextActivator(Settings, new TimestampInterceptor(Clock), [interceptor]);
        services.AddScoped<IKelolaDbFactory>(sp => new KelolaDbFactory(activator, sp.GetRequiredService<ITenantContext>()));
    }

    /// <summary>The SQLite file (only on SQLite).</summary>
    public virtual string FilePath => throw new NotSupportedException($"A {Provider} test database has no file.");

    /// <summary>A fresh migrated database on <paramref name="provider"/>.</summary>
    /// <param name="interceptors">Further EF interceptors on every context (fault injection).</param>
    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, TimeProvider? clock = null,
        CancellationToken cancellationToken = default, IEnumerable<IInterceptor>? interceptors = null) =>
        provider switch
        {
            DatabaseProvider.Sqlite => await SqliteTestDatabase.CreateAsync(interceptors ?? [], clock, cancellationToken),
            DatabaseProvider.Postgres => await PostgresTestDatabase.CreateAsync(clock, cancellationToken, interceptors),
            _ => throw new NotSupportedException($"No test database for {provider}."),
        };

    /// <summary>A context that sees exactly one tenant, like a job or webhook acting for a workspace.</summary>
    public KelolaDbContext CreateForTenant(Guid tenantId)
    {
        var tenant = new TenantContext();
        tenant.SetTenant(tenantId);
        return Activator.Create(tenant);
    }

    /// <summary>A context that sees every tenant: platform admin and system work.</summary>
    public KelolaDbContext CreateSystem() => Activator.Create(SystemTenant.Instance);

    /// <summary>A context whose scope set no tenant at all (an anonymous request): it must see nothing.</summary>
    public KelolaDbContext CreateWithoutTenant() => Activator.Create(new TenantContext());

    /// <summary>The app's factory over this database, bound to a scope's tenant context.</summary>
    public IKelolaDbFactory CreateFactory(ITenantContext scopeTenant) => new KelolaDbFactory(Activator, scopeTenant);

    /// <summary>The configuration keys that point the app (KelolaAppFactory, a child process) at this database.</summary>
    public IReadOnlyDictionary<string, string?> AppSettings() => new Dictionary<string, string?>
    {
        ["Database:Provider"] = Provider.ToString(),
        ["ConnectionStrings:Kelola"] = Provider == DatabaseProvider.Sqlite ? null : ConnectionString,
    };

    public abstract ValueTask DisposeAsync();

    private protected void DeleteFolder()
    {
        try
        {
            if (Directory.Exists(Folder))
                Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open must not fail the test; the OS temp folder is cleaned anyway.
        }
    }
}
