using KelolaPesan.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;

namespace KelolaPesan.Tests.Infrastructure;

/// <summary>
/// A real SQLite database file in its own temp folder, migrated exactly as the app does at start-up
/// (EF InMemory would hide the relational behaviour the tests are about: filters, FKs, unique indexes, sorting).
/// Contexts come from the app's own activator and timestamp interceptor, with a clock the test controls.
/// For a test that runs on every provider, see <see cref="TestDatabase"/>.
/// </summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    private SqliteTestDatabase(string folder, TimeProvider clock, IEnumerable<IInterceptor>? interceptors = null)
        : base(folder, clock, new DatabaseSettings(DatabaseProvider.Sqlite,
            DatabaseSettings.SqliteConnectionString(Path.Combine(folder, DatabaseSettings.SqliteFileName)), folder), interceptors)
    {
        FilePath = Path.Combine(folder, DatabaseSettings.SqliteFileName);
    }

    public override string FilePath { get; }

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

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release only this database's pool, not other tests'.
        using (var connection = new SqliteConnection(ConnectionString))
            SqliteConnection.ClearPool(connection);

        if (Directory.Exists(Folder))
            Directory.Delete(Folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
