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
            : InsertSqliteAsync(database, rows, now);

    // A transaction per 100,000 rows: nothing of a transaction can be checkpointed before it commits, and one of
    // millions of messages held more than 4 GB in the WAL.
    private static async Task<TimeSpan> InsertSqliteAsync<T>(BenchDatabase database, IEnumerable<T> rows, DateTimeOffset now) where T : Entity
    {
        var watch = Stopwatch.StartNew();
        await using var db = database.Activator.Create(SystemTenant.Instance);
        // A size that asks for the wide cache; the rows stream in chunks, never held.
        await using var insert = await new RelationalBulkInserter().PrepareAsync<T>(db, int.MaxValue, CancellationToken.None);
        foreach (var part in rows.Select(r => { r.CreatedAt = r.UpdatedAt = now; return r; }).Chunk(100_000))
            await db.InTransactionAsync(async ct =>
            {
                foreach (var chunk in part.Chunk(10_000))
                    await insert.InsertAsync(chunk, ct);
            }, CancellationToken.None);
        return watch.Elapsed;
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

    /// <summary>Fresh statistics after a bulk load (on PostgreSQL autovacuum would gather them a little later anyway).</summary>
    public static async Task AnalyzeAsync(BenchDatabase database)
    {
        await using var db = database.Activator.Create(SystemTenant.Instance);
        await db.Database.ExecuteSqlRawAsync(database.Provider == DatabaseProvider.Postgres ? "ANALYZE" : "ANALYZE;");
    }
}
