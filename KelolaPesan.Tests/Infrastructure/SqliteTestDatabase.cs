using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Data;
using KelolaPesan.Data.Interceptors;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;

namespace KelolaPesan.Tests.Infrastructure;

/// <summary>
/// A real SQLite database file in its own temp folder, migrated exactly as the app does at start-up
/// (EF InMemory would hide the relational behaviour the tests are about: filters, FKs, unique indexes, sorting).
/// Contexts come from the app's own activator and timestamp interceptor, with a clock the test controls.
/// </summary>
public sealed class SqliteTestDatabase : IAsyncDisposable
{
    private SqliteTestDatabase(string folder, TimeProvider clock, IEnumerable<IInterceptor>? interceptors = null)
    {
        Folder = folder;
        Clock = clock;
        FilePath = Path.Combine(folder, DatabaseSettings.SqliteFileName);
        Settings = new DatabaseSettings(DatabaseProvider.Sqlite, DatabaseSettings.SqliteConnectionString(FilePath), folder);
        Activator = new KelolaDbContextActivator(Settings, new TimestampInterceptor(clock), interceptors);
    }

    public string Folder { get; }
    public string FilePath { get; }
    public TimeProvider Clock { get; }
    public DatabaseSettings Settings { get; }
    public KelolaDbContextActivator Activator { get; }
    public string ConnectionString => Settings.ConnectionString;

    /// <summary>Creates the folder and migrates a fresh database file through <see cref="DatabaseInitializer"/>.</summary>
    public static Task<SqliteTestDatabase> CreateAsync(TimeProvider? clock = null, CancellationToken cancellationToken = default) =>
        CreateAsync([], clock, cancellationToken);

    /// <summary>The same, with further EF interceptors on every context (fault injection).</summary>
    public static async Task<SqliteTestDatabase> CreateAsync(IEnumerable<IInterceptor> interceptors, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        var folder = Path.Combine(Path.GetTempPath(), "kelola-tests", Guid.NewGuid().ToString("N"));
        var database = new SqliteTestDatabase(folder, clock ?? TimeProvider.System, interceptors);
        try
        {
            var initializer = new DatabaseInitializer(database.Settings, database.Activator, NullLogger<DatabaseInitializer>.Instance);
            await initializer.InitializeAsync(cancellationToken);
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

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

    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release only this database's pool, not other tests'.
        using (var connection = new SqliteConnection(ConnectionString))
            SqliteConnection.ClearPool(connection);

        if (Directory.Exists(Folder))
            Directory.Delete(Folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
