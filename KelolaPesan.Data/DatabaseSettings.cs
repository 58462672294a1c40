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
