using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KelolaPesan.Data.Interceptors;

/// <summary>
/// <c>synchronous=NORMAL</c> on every SQLite connection (the setting is per connection, not stored in the file).
/// Under WAL this stays consistent after a crash; only the last commits before a power loss may be lost. It saves
/// an fsync per commit, which is what bounded webhook ingest and every small write.
/// <c>busy_timeout</c> is per connection too.
/// </summary>
public sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    // busy_timeout: SQLite waits for the write lock itself, in steps of a few milliseconds, instead of returning
    // SQLITE_BUSY at once to the provider, whose retry sleeps far longer; concurrent webhooks queued behind it.
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
