using KelolaPesan.Data;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace KelolaPesan.Tests.Infrastructure;

/// <summary>
/// A database of its own on the PostgreSQL server scripts/test.sh started (<see cref="PostgresTestServer"/>), copied from
/// a template migrated once per test run (a copy takes a fraction of running the migration), dropped on dispose.
/// </summary>
public sealed class PostgresTestDatabase : TestDatabase
{
    private PostgresTestDatabase(string folder, TimeProvider clock, string name, IEnumerable<IInterceptor>? interceptors)
        : base(folder, clock, new DatabaseSettings(DatabaseProvider.Postgres, PostgresTestServer.ConnectionStringFor(name), folder), interceptors)
    {
        Name = name;
    }

    /// <summary>The database's name on the server.</summary>
    public string Name { get; }

    public static async Task<PostgresTestDatabase> CreateAsync(TimeProvider? clock = null, CancellationToken cancellationToken = default,
        IEnumerable<IInterceptor>? interceptors = null)
    {
        var name = await PostgresTestServer.CreateDatabaseAsync(cancellationToken);
        var folder = Path.Combine(Path.GetTempPath(), "kelola-tests", name);
        Directory.CreateDirectory(folder);
        return new PostgresTestDatabase(folder, clock ?? TimeProvider.System, name, interceptors);
    }

    /// <summary>
    /// An empty database (no tables, not copied from the migrated template), as a deployment's database server hands
    /// the app on its first start: whatever the app needs, it must create itself.
    /// </summary>
    public static async Task<PostgresTestDatabase> CreateEmptyAsync(CancellationToken cancellationToken = default)
    {
        var name = await PostgresTestServer.CreateEmptyDatabaseAsync(cancellationToken);
        var folder = Path.Combine(Path.GetTempPath(), "kelola-tests", name);
        Directory.CreateDirectory(folder);
        return new PostgresTestDatabase(folder, TimeProvider.System, name, null);
    }

    public override async ValueTask DisposeAsync()
    {
        await PostgresTestServer.DropDatabaseAsync(Name);
        DeleteFolder();
    }
}

/// <summary>
/// The PostgreSQL server of the test run: <c>KELOLA_TEST_POSTGRES</c>, a connection string to its maintenance database
/// (scripts/test.sh starts a throwaway cluster and sets it). Unset, the PostgreSQL variants are not generated
/// (<see cref="ProvidersAttribute"/>) and one skipped test says so.
/// </summary>
public static class PostgresTestServer
{
    public const string Variable = "KELOLA_TEST_POSTGRES";

    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? _template;

    public static string? MaintenanceConnectionString { get; } = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } cs ? cs : null;

    public static bool IsAvailable => MaintenanceConnectionString is not null;

    public static string SkipReason =>
        $"{Variable} is not set: the PostgreSQL variants of the provider suites do not run (bash scripts/test.sh starts a server and sets it).";

    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(Required()) { Database = database }.ConnectionString;

    /// <summary>A new database copied from the migrated template; its name.</summary>
    public static async Task<string> CreateDatabaseAsync(CancellationToken ct = default)
    {
        var template = await TemplateAsync(ct);
        var name = "kelola_t_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", ct);
        return name;
    }

    /// <summary>A new database with nothing in it; its name.</summary>
    public static async Task<string> CreateEmptyDatabaseAsync(CancellationToken ct = default)
    {
        var name = "kelola_e_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE DATABASE \"{name}\"", ct);
        return name;
    }

    public static async Task DropDatabaseAsync(string name)
    {
        // The app's pooled connections to it would block the drop; FORCE ends any a host left behind.
        await using (var connection = new NpgsqlConnection(ConnectionStringFor(name)))
            NpgsqlConnection.ClearPool(connection);
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", CancellationToken.None);
    }

    /// <summary>Migrated once per test process through the app's <see cref="DatabaseInitializer"/>, dropped when it ends.</summary>
    private static async Task<string> TemplateAsync(CancellationToken ct)
    {
        if (_template is { } ready)
            return ready;
        await TemplateLock.WaitAsync(ct);
        try
        {
            if (_template is not null)
                return _template;
            var name = $"kelola_template_{Environment.ProcessId}_{Guid.NewGuid().ToString("N")[..8]}";
            await ExecuteAsync($"CREATE DATABASE \"{name}\"", ct);
            var folder = Path.Combine(Path.GetTempPath(), "kelola-tests", name);
            var settings = new DatabaseSettings(DatabaseProvider.Postgres, ConnectionStringFor(name), folder);
            var activator = new KelolaDbContextActivator(settings, new KelolaPesan.Data.Interceptors.TimestampInterceptor(TimeProvider.System));
            await new DatabaseInitializer(settings, activator, NullLogger<DatabaseInitializer>.Instance).InitializeAsync(ct);
            Directory.Delete(folder, recursive: true);
            // CREATE DATABASE ... TEMPLATE refuses a template with open connections.
            await using (var connection = new NpgsqlConnection(settings.ConnectionString))
                NpgsqlConnection.ClearPool(connection);
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", CancellationToken.None).GetAwaiter().GetResult();
            return _template = name;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    private static async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        // Not pooled: the maintenance connection must not stay open in a pool between CREATE/DROP DATABASE commands.
        var builder = new NpgsqlConnectionStringBuilder(Required()) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string Required() => MaintenanceConnectionString ?? throw new InvalidOperationException(SkipReason);
}
