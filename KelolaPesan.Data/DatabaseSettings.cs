using Microsoft.Extensions.Configuration;

namespace KelolaPesan.Data;

public enum DatabaseProvider { Sqlite, SqlServer, Postgres }

/// <summary>
/// Where the data lives. SQLite (default): <c>kelola.db</c> in <see cref="DataDirectory"/>.
/// SQL Server / PostgreSQL: <c>Database:Provider=SqlServer</c> or <c>Postgres</c>, and <c>ConnectionStrings:Kelola</c>.
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString, string DataDirectory)
{
    public const string SqliteFileName = "kelola.db";

    /// <summary>The connection string as given, with <see cref="PostgresDefaults"/> on PostgreSQL: EF, Quartz and the health check share one pool.</summary>
    public string ConnectionString { get; init; } = Provider == DatabaseProvider.Postgres ? PostgresDefaults(ConnectionString) : ConnectionString;

    /// <summary>
    /// <c>No Reset On Close=true</c> unless the connection string says otherwise: a pooled connection goes back without
    /// Npgsql's reset (<c>DISCARD ALL</c>, a round trip on every open after a close, about half the statements of the
    /// webhook path). Nothing of ours leaves session state behind (docs/adr/0026): no <c>SET</c>, temp tables or
    /// <c>LISTEN</c>; the start-up advisory lock is released explicitly; an open transaction is still rolled back.
    /// </summary>
    public static string PostgresDefaults(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("NoResetOnClose", StringComparison.OrdinalIgnoreCase)))
            return connectionString;
        return new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString;
    }

    public static DatabaseSettings From(IConfiguration config, string contentRoot)
    {
        var provider = Enum.Parse<DatabaseProvider>(config["Database:Provider"] ?? nameof(DatabaseProvider.Sqlite), ignoreCase: true);
        var dataDirectory = Path.GetFullPath(Path.Combine(contentRoot, config["Database:DataDirectory"] ?? "data"));
        var connectionString = config.GetConnectionString("Kelola");
        if (provider != DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException($"Database:Provider is {provider} but ConnectionStrings:Kelola is not set.");

        if (string.IsNullOrWhiteSpace(connectionString))
            connectionString = SqliteConnectionString(Path.Combine(dataDirectory, SqliteFileName));
        return new DatabaseSettings(provider, connectionString, dataDirectory);
    }

    // A generous busy timeout: webhooks, jobs and circuits write concurrently to one file.
    public static string SqliteConnectionString(string path) => $"Data Source={path};Default Timeout=30;Pooling=True";
}
