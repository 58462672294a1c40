using System.Globalization;
using KelolaPesan.Core.Common;
using KelolaPesan.Data.Inbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace KelolaPesan.Data.Common;

/// <summary>
/// One prepared INSERT, re-bound per row, in one transaction (the caller's, if it has begun one). On PostgreSQL a large
/// batch goes as one binary COPY instead (<see cref="PostgresCopy{T}"/>), on SQL Server as one SqlBulkCopy
/// (<see cref="SqlServerBulkCopy{T}"/>): one round trip for the batch, not one per row.
/// </summary>
public sealed class RelationalBulkInserter : IBulkInserter
{
    public async Task InsertAsync<T>(IKelolaDb db, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0)
            return;
        await using var insert = await PreparedInsert<T>.OpenAsync((DbContext)db, rows.Count, ct);
        await insert.InsertAsync(rows, ct);
    }

    public async Task<IPreparedInsert<T>> PrepareAsync<T>(IKelolaDb db, int expectedRows, CancellationToken ct) where T : class =>
        await PreparedInsert<T>.OpenAsync((DbContext)db, expectedRows, ct);

    private sealed class PreparedInsert<T> : IPreparedInsert<T> where T : class
    {
        // SQLite's default page cache (2 MB) is smaller than the index pages a large insert touches (five indexes on
        // the recipients table): dirty pages spill to the WAL mid-transaction and are read back. The connection gets a
        // larger cache for a large insert only (the setting is per connection and pooled connections keep it, so it is
        // put back; for the webhook path's small batches the two extra statements would cost more than they save).
        private const long BulkCacheKiB = 64 * 1024;
        private const int WideCacheFromRows = 10_000;

        private readonly DbContext _context;
        private readonly ModelCommand<T> _command;
        private readonly List<(IClrPropertyGetter Get, Action<object?> Set)> _bindings;
        private readonly PostgresCopy<T>? _copy;
        private readonly SqlServerBulkCopy<T>? _sqlCopy;
        private readonly SqliteRawInsert<T>? _sqlite;
        private long? _cacheSizeBefore;

        private PreparedInsert(DbContext context, ModelCommand<T> command, List<(IClrPropertyGetter, Action<object?>)> bindings)
        {
            (_context, _command, _bindings) = (context, command, bindings);
            if (context.Database.GetDbConnection() is NpgsqlConnection)
                _copy = new PostgresCopy<T>(command);
            else if (context.Database.GetDbConnection() is Microsoft.Data.SqlClient.SqlConnection)
                _sqlCopy = new SqlServerBulkCopy<T>(command);
            else if (context.Database.GetDbConnection() is Microsoft.Data.Sqlite.SqliteConnection)
                _sqlite = SqliteRawInsert<T>.TryCreate(command,
                    SqliteInboxSearchSql.Indexed.Contains(typeof(T)) ? SqliteRawInsert<T>.IndexedRowsPerStatement : 1);
        }

        /// <summary>Opens the context's connection (closed again on dispose) and prepares the INSERT on it.</summary>
        public static async Task<PreparedInsert<T>> OpenAsync(DbContext context, int expectedRows, CancellationToken ct)
        {
            await context.Database.OpenConnectionAsync(ct);
            var command = new ModelCommand<T>(context);
            var insert = (PreparedInsert<T>?)null;
            try
            {
                var (sql, bindings) = command.BindInsert();
                await command.PrepareAsync(sql, ct);
                insert = new PreparedInsert<T>(context, command, bindings);
                if (expectedRows >= WideCacheFromRows)
                    await insert.WidenSqliteCacheAsync(ct);
                return insert;
            }
            catch
            {
                if (insert is not null)
                    await insert.DisposeAsync();
                else
                {
                    await command.DisposeAsync();
                    await context.Database.CloseConnectionAsync();
                }
                throw;
            }
        }

        public async Task InsertAsync(IReadOnlyList<T> rows, CancellationToken ct)
        {
            if (rows.Count == 0)
                return;
            // Joins the caller's transaction, or runs in one of its own (re-runnable: nothing is tracked).
            await ((IKelolaDb)_context).InTransactionAsync(async ct =>
            {
                if (_copy is not null && rows.Count >= PostgresCopy<T>.FromRows)
                {
                    await _copy.WriteAsync((NpgsqlConnection)_context.Database.GetDbConnection(), rows, ct);
                    return;
                }
                if (_sqlCopy is not null && rows.Count >= SqlServerBulkCopy<T>.FromRows)
                {
                    await _sqlCopy.WriteAsync((Microsoft.Data.SqlClient.SqlConnection)_context.Database.GetDbConnection(),
                        (Microsoft.Data.SqlClient.SqlTransaction?)_context.Database.CurrentTransaction?.GetDbTransaction(), rows, ct);
                    return;
                }
                if (_sqlite is not null)
                {
                    _sqlite.Write((Microsoft.Data.Sqlite.SqliteConnection)_context.Database.GetDbConnection(), rows);
                    return;
                }
                _command.Enlist(_context.Database.CurrentTransaction?.GetDbTransaction());
                foreach (var row in rows)
                {
                    foreach (var (get, set) in _bindings)
                        set(get.GetClrValue(row));
                    await _command.ExecuteAsync(ct);
                }
            }, ct);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (_cacheSizeBefore is { } size)
                    await SetSqliteCacheAsync(size, CancellationToken.None);
            }
            finally
            {
                _sqlite?.Dispose();
                await _command.DisposeAsync();
                await _context.Database.CloseConnectionAsync();
            }
        }

        private async Task WidenSqliteCacheAsync(CancellationToken ct)
        {
            if (_context.Database.ProviderName?.Contains("Sqlite", StringComparison.Ordinal) != true)
                return;
            await using var read = _context.Database.GetDbConnection().CreateCommand();
            read.Transaction = _context.Database.CurrentTransaction?.GetDbTransaction();
            read.CommandText = "PRAGMA cache_size;";
            var current = Convert.ToInt64(await read.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
            await SetSqliteCacheAsync(-BulkCacheKiB, ct);
            _cacheSizeBefore = current;
        }

        private async Task SetSqliteCacheAsync(long size, CancellationToken ct)
        {
            await using var set = _context.Database.GetDbConnection().CreateCommand();
            set.Transaction = _context.Database.CurrentTransaction?.GetDbTransaction();
            set.CommandText = $"PRAGMA cache_size={size.ToString(CultureInfo.InvariantCulture)};";
            await set.ExecuteNonQueryAsync(ct);
        }
    }
}
