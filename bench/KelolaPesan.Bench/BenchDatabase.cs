using KelolaPesan.Data;
using KelolaPesan.Data.Interceptors;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace KelolaPesan.Bench;

/// <summary>A temp SQLite file migrated by the app's own <see cref="DatabaseInitializer"/>; deleted on dispose.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private BenchDatabase(string folder)
    {
        Folder = folder;
        Settings = new DatabaseSettings(DatabaseProvider.Sqlite, DatabaseSettings.SqliteConnectionString(Path.Combine(folder, DatabaseSettings.SqliteFileName)), folder);
        Activator = new KelolaDbContextActivator(Settings, new TimestampInterceptor(TimeProvider.System));
    }

    public string Folder { get; }
    public DatabaseSettings Settings { get; }
    public KelolaDbContextActivator Activator { get; }

    public static async Task<BenchDatabase> CreateAsync()
    {
        var database = new BenchDatabase(Path.Combine(Path.GetTempPath(), "kelola-bench", Guid.NewGuid().ToString("N")));
        await new DatabaseInitializer(database.Settings, database.Activator, NullLogger<DatabaseInitializer>.Instance).InitializeAsync();
        return database;
    }

    public long FileBytes => new DirectoryInfo(Folder).EnumerateFiles().Sum(f => f.Length);

    public ValueTask DisposeAsync()
    {
        using (var connection = new SqliteConnection(Settings.ConnectionString))
            SqliteConnection.ClearPool(connection);
        Directory.Delete(Folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
