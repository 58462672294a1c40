using System.Data.Common;
using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace KelolaPesan.Data.Common;

/// <summary>
/// One prepared INSERT, re-bound per row, in one transaction (the caller's, if it has begun one): columns, parameter types and value converters come from the
/// EF model, so SQLite (ticks for times, text GUIDs) and SQL Server get exactly what EF itself would write.
/// </summary>
public sealed class RelationalBulkInserter : IBulkInserter
{
    public async Task InsertAsync<T>(IKelolaDb db, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0)
            return;
        var context = (DbContext)db;
        var entity = context.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = context.GetService<ISqlGenerationHelper>();
        var columns = entity.GetProperties().Select(p => (Property: p, Column: p.GetColumnName(table))).Where(c => c.Column is not null).ToList();

        await context.Database.OpenConnectionAsync(ct);
        try
        {
            // Joins the caller's transaction when there is one (rows written together with other changes), else its own.
            var own = context.Database.CurrentTransaction is null ? await context.Database.BeginTransactionAsync(ct) : null;
            await using var ownScope = own;
            var tx = context.Database.CurrentTransaction!;
            await using var command = context.Database.GetDbConnection().CreateCommand();
            command.Transaction = tx.GetDbTransaction();
            var bindings = new Binding[columns.Count];
            for (var i = 0; i < columns.Count; i++)
            {
                var mapping = (RelationalTypeMapping)columns[i].Property.GetRelationalTypeMapping();
                var parameter = mapping.CreateParameter(command, $"@p{i}", null, columns[i].Property.IsNullable);
                command.Parameters.Add(parameter);
                bindings[i] = new Binding(columns[i].Property.GetGetter(), parameter, mapping.Converter);
            }
            command.CommandText = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Column!)))}) " +
                                  $"VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
            await command.PrepareAsync(ct);
            var cacheSize = await WidenSqliteCacheAsync(context, ct);
            try
            {
                foreach (var row in rows)
                {
                    foreach (var binding in bindings)
                        binding.Bind(row);
                    await command.ExecuteNonQueryAsync(ct);
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

    // SQLite's default page cache (2 MB) is smaller than the index pages a large insert touches (five indexes on the
    // recipients table): dirty pages spill to the WAL mid-transaction and are read back. The connection gets a larger
    // cache for the insert only (the setting is per connection and pooled connections keep it, so it is put back).
    private const long BulkCacheKiB = 64 * 1024;

    private static async Task<long?> WidenSqliteCacheAsync(DbContext context, CancellationToken ct)
    {
        if (context.Database.ProviderName?.Contains("Sqlite", StringComparison.Ordinal) != true)
            return null;
        await using var read = context.Database.GetDbConnection().CreateCommand();
        read.Transaction = context.Database.CurrentTransaction?.GetDbTransaction();
        read.CommandText = "PRAGMA cache_size;";
        var current = Convert.ToInt64(await read.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        await SetSqliteCacheAsync(context, -BulkCacheKiB, ct);
        return current;
    }

    private static async Task SetSqliteCacheAsync(DbContext context, long size, CancellationToken ct)
    {
        await using var set = context.Database.GetDbConnection().CreateCommand();
        set.Transaction = context.Database.CurrentTransaction?.GetDbTransaction();
        set.CommandText = $"PRAGMA cache_size={size.ToString(System.Globalization.CultureInfo.InvariantCulture)};";
        await set.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// One column: its getter, parameter and converter. The last value and its converted form are kept, so a column that
    /// is the same on every row (tenant, workspace, broadcast ids, times) is converted once, not once per row.
    /// </summary>
    private sealed class Binding(IClrPropertyGetter getter, DbParameter parameter, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? converter)
    {
        private object? _lastClr;
        private object? _lastProvider;
        private bool _hasLast;

        public void Bind(object row)
        {
            var clr = getter.GetClrValue(row);
            if (!_hasLast || !Same(clr, _lastClr))
            {
                _lastProvider = clr is null ? DBNull.Value : converter is null ? clr : converter.ConvertToProvider(clr) ?? DBNull.Value;
                _lastClr = clr;
                _hasLast = true;
            }
            parameter.Value = _lastProvider;
        }

        // DateTimeOffset.Equals compares instants only: a value with another offset must still be converted (SQL Server keeps the offset).
        private static bool Same(object? a, object? b) =>
            a is DateTimeOffset x && b is DateTimeOffset y ? x.EqualsExact(y) : Equals(a, b);
    }
}
