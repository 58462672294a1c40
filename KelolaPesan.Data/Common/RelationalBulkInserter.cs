using System.Globalization;
using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace KelolaPesan.Data.Common;

/// <summary>One prepared INSERT, re-bound per row, in one transaction (the caller's, if it has begun one).</summary>
public sealed class RelationalBulkInserter : IBulkInserter
{
    // SQLite's default page cache (2 MB) is smaller than the index pages a large insert touches (five indexes on the
    // recipients table): dirty pages spill to the WAL mid-transaction and are read back. The connection gets a larger
    // cache for a large insert only (the setting is per connection and pooled connections keep it, so it is put back;
    // for the webhook path's small batches the two extra statements would cost more than they save).
    private const long BulkCacheKiB = 64 * 1024;
    private const int WideCacheFromRows = 10_000;

    public async Task InsertAsync<T>(IKelolaDb db, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0)
            return;
        var context = (DbContext)db;
        await context.Database.OpenConnectionAsync(ct);
        try
        {
            // Joins the caller's transaction when there is one (rows written together with other changes), else its own.
            var own = context.Database.CurrentTransaction is null ? await context.Database.BeginTransactionAsync(ct) : null;
            await using var ownScope = own;
            await using var insert = new ModelCommand<T>(context);
            var columns = insert.Columns();
            var bindings = columns.Select((c, i) => (Get: c.Property.GetGetter(), Set: insert.Parameter($"@p{i}", c.Property))).ToList();
            await insert.PrepareAsync($"INSERT INTO {insert.Table} ({string.Join(", ", columns.Select(c => c.Column))}) " +
                                      $"VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})", ct);
            var cacheSize = rows.Count >= WideCacheFromRows ? await WidenSqliteCacheAsync(context, ct) : null;
            try
            {
                foreach (var row in rows)
                {
                    foreach (var (get, set) in bindings)
                        set(get.GetClrValue(row));
                    await insert.ExecuteAsync(ct);
                }
                if (own is not null)
                    await own.CommitAsync(ct);
            }
            finally
            {
                if (cacheSize is not null)
                    await SetSqliteCacheAsync(context, cacheSize.Value, CancellationToken.None);
            }
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }

    private static async Task<long?> WidenSqliteCacheAsync(DbContext context, CancellationToken ct)
    {
        if (context.Database.ProviderName?.Contains("Sqlite", StringComparison.Ordinal) != true)
            return null;
        await using var read = context.Database.GetDbConnection().CreateCommand();
        read.Transaction = context.Database.CurrentTransaction?.GetDbTransaction();
        read.CommandText = "PRAGMA cache_size;";
        var current = Convert.ToInt64(await read.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        await SetSqliteCacheAsync(context, -BulkCacheKiB, ct);
        return current;
    }

    private static async Task SetSqliteCacheAsync(DbContext context, long size, CancellationToken ct)
    {
        await using var set = context.Database.GetDbConnection().CreateCommand();
        set.Transaction = context.Database.CurrentTransaction?.GetDbTransaction();
        set.CommandText = $"PRAGMA cache_size={size.ToString(CultureInfo.InvariantCulture)};";
        await set.ExecuteNonQueryAsync(ct);
    }
}
