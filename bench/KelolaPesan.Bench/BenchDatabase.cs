using KelolaPesan.Data;
using KelolaPesan.Data.Interceptors;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace KelolaPesan.Bench;

/// <summary>
/// A fresh database for one run, migrated by the app's own <see cref="DatabaseInitializer"/> and removed on dispose:
/// a temp SQLite file (default), or with <c>--provider Postgres</c> a new database on the server named by
/// <c>--connection</c> or <c>KELOLA_BENCH_POSTGRES</c> / <c>KELOLA_TEST_POSTGRES</c> (a connection string to its
/// maintenance database; the run creates <c>kelola_bench_*</c> there and drops it at the end).
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string? _maintenance;

    private BenchDatabase(string folder, DatabaseSettings settings, string? maintenance)
    {
        Folder = folder;
        Settings = settings;
        _maintenance = maintenance;
        Statements = SlowStatements.FromEnvironment();
        Activator = new KelolaDbContextActivator(Settings, new TimestampInterceptor(TimeProvider.System), Statements is { } s ? [s] : null);
    }

    /// <summary>A temp folder of the run (the SQLite file, generated files, attachments); deleted on dispose.</summary>
    public string Folder { get; }
    public DatabaseSettings Settings { get; }
    public DatabaseProvider Provider => Settings.Provider;
    public KelolaDbContextActivator Activator { get; }

    /// <summary>The statement tally of <c>KELOLA_BENCH_STATEMENTS</c>, if asked for; an app started on this database counts into it too.</summary>
    internal SlowStatements? Statements { get; }

    /// <summary>The provider from <c>--provider Sqlite|Postgres</c> (default SQLite).</summary>
    public static DatabaseProvider ProviderFrom(string[] args)
    {
        var i = Array.IndexOf(args, "--provider");
        return i >= 0 && i + 1 < args.Length ? Enum.Parse<DatabaseProvider>(args[i + 1], ignoreCase: true) : DatabaseProvider.Sqlite;
    }

    /// <summary>A temp SQLite database (seed-scale measures SQLite's own insert paths).</summary>
    public static Task<BenchDatabase> CreateAsync() => CreateAsync([]);

    public static async Task<BenchDatabase> CreateAsync(string[] args)
    {
        var folder = Path.Combine(Path.GetTempPath(), "kelola-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var provider = ProviderFrom(args);
        BenchDatabase database;
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                database = new BenchDatabase(folder,
                    new DatabaseSettings(provider, DatabaseSettings.SqliteConnectionString(Path.Combine(folder, DatabaseSettings.SqliteFileName)), folder), null);
                break;
            case DatabaseProvider.Postgres:
                var maintenance = PostgresConnection(args);
                var name = "kelola_bench_" + Guid.NewGuid().ToString("N");
                await ExecuteAsync(maintenance, $"CREATE DATABASE \"{name}\"");
                var connection = new NpgsqlConnectionStringBuilder(maintenance) { Database = name }.ConnectionString;
                database = new BenchDatabase(folder, new DatabaseSettings(provider, connection, folder), maintenance);
                break;
            default:
                throw new NotSupportedException($"The benchmarks run on Sqlite or Postgres, not {provider}.");
        }
        await new DatabaseInitializer(database.Settings, database.Activator, NullLogger<DatabaseInitializer>.Instance).InitializeAsync();
        return database;
    }

    /// <summary>One line for the scenario's header: where the data lives.</summary>
    public string Describe() => Provider == DatabaseProvider.Sqlite
        ? $"SQLite in {Folder}"
        : $"PostgreSQL database {new NpgsqlConnectionStringBuilder(Settings.ConnectionString).Database} on {new NpgsqlConnectionStringBuilder(Settings.ConnectionString).Host}";

    /// <summary>The configuration keys that point the app (run in this process) at this database.</summary>
    public IReadOnlyDictionary<string, string?> AppSettings() => new Dictionary<string, string?>
    {
        ["Database:Provider"] = Provider.ToString(),
        ["Database:DataDirectory"] = Folder,
        ["ConnectionStrings:Kelola"] = Provider == DatabaseProvider.Sqlite ? null : Settings.ConnectionString,
    };

    /// <summary>The SQLite file and its WAL.</summary>
    public long FileBytes => new DirectoryInfo(Folder).EnumerateFiles().Sum(f => f.Length);

    /// <summary>Size of the data: the SQLite file and its WAL, or the PostgreSQL database.</summary>
    public async Task<long> SizeBytesAsync()
    {
        if (Provider == DatabaseProvider.Sqlite)
            return new DirectoryInfo(Folder).EnumerateFiles().Sum(f => f.Length);
        await using var connection = new NpgsqlConnection(Settings.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        Statements?.Print();
        if (Provider == DatabaseProvider.Sqlite)
        {
            using var connection = new SqliteConnection(Settings.ConnectionString);
            SqliteConnection.ClearPool(connection);
        }
        else
        {
            await using (var connection = new NpgsqlConnection(Settings.ConnectionString))
                NpgsqlConnection.ClearPool(connection);
            var name = new NpgsqlConnectionStringBuilder(Settings.ConnectionString).Database;
            await ExecuteAsync(_maintenance!, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
        // KELOLA_BENCH_KEEP=1 keeps a SQLite run's folder, to look at its query plans afterwards.
        if (Provider == DatabaseProvider.Sqlite && Environment.GetEnvironmentVariable("KELOLA_BENCH_KEEP") == "1")
            Console.WriteLine($"kept {Folder}");
        else
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }

    private static string PostgresConnection(string[] args)
    {
        var i = Array.IndexOf(args, "--connection");
        var value = i >= 0 && i + 1 < args.Length ? args[i + 1]
            : Environment.GetEnvironmentVariable("KELOLA_BENCH_POSTGRES") is { Length: > 0 } bench ? bench
            : Environment.GetEnvironmentVariable("KELOLA_TEST_POSTGRES");
        return string.IsNullOrWhiteSpace(value)
            ? throw new InvalidOperationException("--provider Postgres needs --connection \"Host=...;Username=...;Database=postgres\" or KELOLA_BENCH_POSTGRES / KELOLA_TEST_POSTGRES.")
            : value;
    }

    private static async Task ExecuteAsync(string maintenance, string sql)
    {
        // Not pooled: CREATE/DROP DATABASE from a connection that does not linger in a pool.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(maintenance) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
