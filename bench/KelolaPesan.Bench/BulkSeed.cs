using System.Diagnostics;
using KelolaPesan.Core.Common;
using KelolaPesan.Data;
using KelolaPesan.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace KelolaPesan.Bench;

/// <summary>
/// Seeds large tables outside the timed part: on SQLite the app's own bulk inserter (rows bound by position, a wide
/// page cache) in chunks of one transaction, on PostgreSQL a binary COPY. Columns and value conversions come from the
/// EF model, so rows are stored exactly as EF would store them.
/// </summary>
public static class BulkSeed
{
    public static Task<TimeSpan> InsertAsync<T>(BenchDatabase database, IEntityType entityType, IEnumerable<T> rows, DateTimeOffset now) where T : Entity =>
        database.Provider == DatabaseProvider.Postgres
            ? CopyAsync(database, entityType, rows, now)
            : InsertSqliteAsync(database, entityType, rows, now);

    // A transaction per 100,000 rows: nothing of a transaction can be checkpointed before it commits, and one of
    // millions of messages held more than 4 GB in the WAL.
    private static async Task<TimeSpan> InsertSqliteAsync<T>(BenchDatabase database, IEntityType entityType, IEnumerable<T> rows, DateTimeOffset now)
        where T : Entity
    {
        var watch = Stopwatch.StartNew();
        await using var db = database.Activator.Create(SystemTenant.Instance);
        var table = entityType.GetTableName()!;
        var deferred = await DropIndexesOfEmptyTableAsync(db, table);
        await using (var insert = await new RelationalBulkInserter().PrepareAsync<T>(db, int.MaxValue, CancellationToken.None))
        {
            // A size that asks for the wide cache; the rows stream in chunks, never held.
            foreach (var part in rows.Select(r => { r.CreatedAt = r.UpdatedAt = now; return r; }).Chunk(100_000))
                await db.InTransactionAsync(async ct =>
                {
                    foreach (var chunk in part.Chunk(10_000))
                        await insert.InsertAsync(chunk, ct);
                }, CancellationToken.None);
        }
        await RebuildIndexesAsync(db, table, deferred);
        return watch.Elapsed;
    }

    // The search triggers' work for a table loaded while they were dropped: the Initial migration's "rows that exist
    // already" (SqliteInboxSearchSql), numbered by the table's own rowids since the search tables start empty.
    private static readonly Dictionary<string, string[]> SearchFill = new()
    {
        ["Chats"] =
        [
            """INSERT INTO "ChatSearchRows" ("ChatId", "RowId") SELECT "Id", rowid FROM "Chats" """,
            """INSERT INTO "ChatSearch" (rowid, "DisplayName", "PhoneNumber", "ChatId") SELECT rowid, "DisplayName", "PhoneNumber", "Id" FROM "Chats" """,
        ],
        ["Messages"] =
        [
            """INSERT INTO "MessageSearchRows" ("MessageId", "RowId") SELECT "Id", rowid FROM "Messages" """,
            """INSERT INTO "MessageSearch" (rowid, "Body", "ChatId") SELECT rowid, "Body", "ChatId" FROM "Messages" """,
        ],
    };

    /// <summary>
    /// Loads an empty table as a restore would: its secondary indexes and its insert trigger are dropped, and built
    /// again over all rows once they are in. Kept up row by row, the indexes in random order (a chat's messages are
    /// spread over the whole table) rewrote most of their pages in every 100,000-row transaction: 10M messages took
    /// about 50 minutes. Returns what was dropped (nothing if the table has rows).
    /// </summary>
    private static async Task<List<(string Type, string Sql)>> DropIndexesOfEmptyTableAsync(DbContext db, string table)
    {
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT EXISTS (SELECT 1 FROM \"{table}\")";
        if (Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) != 0)
            return [];

        command.CommandText = $"""
            SELECT type, name, sql FROM sqlite_master
            WHERE tbl_name = '{table}' AND sql IS NOT NULL
              AND (type = 'index' OR (type = 'trigger' AND sql LIKE '% AFTER INSERT ON %'))
            """;
        var dropped = new List<(string Type, string Name, string Sql)>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                dropped.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        if (dropped.Any(d => d.Type == "trigger") && !SearchFill.ContainsKey(table))
            throw new InvalidOperationException($"{table} has an insert trigger the bulk seed cannot replay");
        foreach (var (type, name, _) in dropped)
        {
            command.CommandText = $"DROP {type.ToUpperInvariant()} \"{name}\"";
            await command.ExecuteNonQueryAsync();
        }
        return dropped.Select(d => (d.Type, d.Sql)).ToList();
    }

    private static async Task RebuildIndexesAsync(DbContext db, string table, List<(string Type, string Sql)> dropped)
    {
        if (dropped.Count == 0)
            return;
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandTimeout = 0;
        var statements = dropped.Where(d => d.Type == "index").Select(d => d.Sql).ToList();
        if (dropped.Any(d => d.Type == "trigger"))
            statements.AddRange(SearchFill[table]);
        statements.AddRange(dropped.Where(d => d.Type == "trigger").Select(d => d.Sql));
        foreach (var sql in statements)
        {
            var watch = Stopwatch.StartNew();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
            Console.WriteLine($"  {table}: {sql.Split('(')[0].Split('\n')[0].Trim()} in {watch.Elapsed.TotalSeconds:F1} s");
        }
        await db.Database.CloseConnectionAsync();
    }

    private static async Task<TimeSpan> CopyAsync<T>(BenchDatabase database, IEntityType entityType, IEnumerable<T> rows, DateTimeOffset now) where T : Entity
    {
        // Computed columns (the reversed phone number) are the database's to fill.
        var properties = entityType.GetProperties()
            .Where(p => p.PropertyInfo is not null && p.GetBeforeSaveBehavior() != PropertySaveBehavior.Ignore).ToList();
        var mappings = properties.Select(p => (RelationalTypeMapping)p.GetRelationalTypeMapping()).ToList();
        // The COPY names a type per value: the column's store type without its length ("character varying(200)").
        var types = mappings.Select(m => m.StoreType.Split('(')[0]).ToList();
        var watch = Stopwatch.StartNew();

        await using var connection = new NpgsqlConnection(database.Settings.ConnectionString);
        await connection.OpenAsync();
        var columns = string.Join(", ", properties.Select(p => $"\"{p.GetColumnName()}\""));
        await using (var copy = await connection.BeginBinaryImportAsync($"COPY \"{entityType.GetTableName()}\" ({columns}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in rows)
            {
                row.CreatedAt = row.UpdatedAt = now;
                await copy.StartRowAsync();
                for (var i = 0; i < properties.Count; i++)
                {
                    var value = properties[i].PropertyInfo!.GetValue(row);
                    if (value is not null && mappings[i].Converter is { } converter)
                        value = converter.ConvertToProvider(value);
                    if (value is null)
                        await copy.WriteNullAsync();
                    else
                        await copy.WriteAsync(value, types[i]);
                }
            }
            await copy.CompleteAsync();
        }
        return watch.Elapsed;
    }

    /// <summary>
    /// The statistics the app's database would have after such a load: PostgreSQL's autovacuum gathers them a little
    /// later anyway; the app never runs ANALYZE on SQLite (docs/adr/0031), and statistics there changed the plans the
    /// bench measured (the webhook batch's unread-counter UPDATE scanned every workspace instead of seeking their ids).
    /// </summary>
    public static Task AnalyzeAsInProductionAsync(BenchDatabase database) =>
        database.Provider == DatabaseProvider.Postgres ? AnalyzeAsync(database) : Task.CompletedTask;

    /// <summary>Fresh statistics after a bulk load, on either provider.</summary>
    public static async Task AnalyzeAsync(BenchDatabase database)
    {
        await using var db = database.Activator.Create(SystemTenant.Instance);
        await db.Database.ExecuteSqlRawAsync(database.Provider == DatabaseProvider.Postgres ? "ANALYZE" : "ANALYZE;");
    }
}
