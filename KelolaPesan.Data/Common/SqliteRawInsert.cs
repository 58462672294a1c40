using Microsoft.EntityFrameworkCore;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SQLitePCL;

namespace KelolaPesan.Data.Common;

/// <summary>
/// The prepared INSERT on SQLite, bound by position on the connection's own handle. Microsoft.Data.Sqlite binds every
/// parameter of every execution by name (the name made UTF-8 and looked up, Guids formatted again): at a million
/// recipients that was a third of the materialisation's time. Here a value the previous row bound is left bound
/// (SQLite keeps bindings across resets), so the tenant, workspace, broadcast ids and times are bound once a batch.
/// The stored forms are Microsoft.Data.Sqlite's own: Guids as upper-case text, booleans and integers as integers.
/// An entity with any other stored type (dates as text, decimals) keeps the ADO.NET path: <see cref="TryCreate"/>
/// gives null.
/// </summary>
internal sealed class SqliteRawInsert<T> : IDisposable
{
    /// <summary>
    /// Rows per statement for a table whose insert feeds an FTS5 index through a trigger (docs/adr/0006). FTS5 writes
    /// its pending terms to disk at every statement savepoint, and an INSERT with a trigger and a constraint that may
    /// abort opens one: row by row, each message became an FTS5 segment of its own, and merging those segments read
    /// ~170 pages a message from the file (83% of all pages read under tenant-density). One statement per batch is one
    /// segment per batch. 64 rows of ~17 columns stay far below SQLite's 32,766 variables.
    /// </summary>
    public const int IndexedRowsPerStatement = 64;

    private readonly string _head;
    private readonly string _tuple;
    private readonly Column[] _columns;
    private readonly int _rowsPerStatement;
    private readonly Dictionary<int, sqlite3_stmt> _statements = [];

    private SqliteRawInsert(string sql, Column[] columns, int rowsPerStatement)
    {
        (_columns, _rowsPerStatement) = (columns, rowsPerStatement);
        // "INSERT INTO t (a, b) VALUES " and a "(?, ?)" per row, bound by position.
        _head = sql[..(sql.LastIndexOf(" VALUES (", StringComparison.Ordinal) + " VALUES ".Length)];
        _tuple = "(" + string.Join(", ", Enumerable.Repeat("?", columns.Length)) + ")";
    }

    /// <param name="rowsPerStatement">1 (one prepared row, re-bound) unless the table feeds a search index: see
    /// <see cref="IndexedRowsPerStatement"/>.</param>
    public static SqliteRawInsert<T>? TryCreate(ModelCommand<T> command, int rowsPerStatement = 1)
    {
        var columns = new List<Column>();
        foreach (var (property, _) in command.Columns())
        {
            var mapping = (RelationalTypeMapping)property.GetRelationalTypeMapping();
            var clr = mapping.Converter?.ProviderClrType ?? mapping.ClrType;
            var stored = Nullable.GetUnderlyingType(clr) ?? clr;
            if (stored.IsEnum)
                stored = Enum.GetUnderlyingType(stored);
            var guidAsText = stored == typeof(Guid) && mapping.StoreType.Equals("TEXT", StringComparison.OrdinalIgnoreCase);
            if (!guidAsText && !Supported.Contains(stored))
                return null;
            columns.Add(new Column(property.GetGetter(), mapping.Converter));
        }
        var (sql, _) = command.BindInsert();
        return new SqliteRawInsert<T>(sql, [.. columns], rowsPerStatement);
    }

    private static readonly HashSet<Type> Supported =
        [typeof(string), typeof(long), typeof(int), typeof(short), typeof(byte), typeof(bool), typeof(double), typeof(float), typeof(byte[])];

    /// <summary>Inserts the rows in the connection's current transaction (the caller's).</summary>
    public void Write(SqliteConnection connection, IReadOnlyList<T> rows)
    {
        var db = connection.Handle!;
        // A value the previous row bound is left bound only where one statement is one row.
        var keepBound = _rowsPerStatement == 1;
        for (var start = 0; start < rows.Count; start += _rowsPerStatement)
        {
            var count = Math.Min(_rowsPerStatement, rows.Count - start);
            var statement = Statement(db, count);
            for (var r = 0; r < count; r++)
            {
                for (var i = 0; i < _columns.Length; i++)
                    _columns[i].Bind(statement, r * _columns.Length + i + 1, rows[start + r]!, db, keepBound);
            }
            var rc = raw.sqlite3_step(statement);
            raw.sqlite3_reset(statement);
            if (rc != raw.SQLITE_DONE)
                SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    private sqlite3_stmt Statement(sqlite3 db, int rows)
    {
        if (!_statements.TryGetValue(rows, out var statement))
        {
            Check(raw.sqlite3_prepare_v2(db, _head + string.Join(", ", Enumerable.Repeat(_tuple, rows)), out statement), db);
            _statements[rows] = statement;
        }
        return statement;
    }

    public void Dispose()
    {
        foreach (var statement in _statements.Values)
            statement.Dispose();
        _statements.Clear();
    }

    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK)
            SqliteException.ThrowExceptionForRC(rc, db);
    }

    private sealed class Column(IClrPropertyGetter get, ValueConverter? converter)
    {
        private object? _last;
        private bool _bound;

        public void Bind(sqlite3_stmt statement, int index, object row, sqlite3 db, bool keepBound)
        {
            var value = get.GetClrValue(row);
            // DateTimeOffset.Equals compares instants only; stored as ticks here, so equal instants are equal values.
            if (keepBound && _bound && value is not byte[] && Equals(value, _last))
                return;
            var stored = value is null || converter is null ? value : converter.ConvertToProvider(value);
            Check(stored switch
            {
                null => raw.sqlite3_bind_null(statement, index),
                string s => raw.sqlite3_bind_text(statement, index, s),
                Guid g => raw.sqlite3_bind_text(statement, index, g.ToString().ToUpperInvariant()),
                bool b => raw.sqlite3_bind_int64(statement, index, b ? 1 : 0),
                byte[] bytes => raw.sqlite3_bind_blob(statement, index, bytes),
                double d => raw.sqlite3_bind_double(statement, index, d),
                float f => raw.sqlite3_bind_double(statement, index, f),
                Enum e => raw.sqlite3_bind_int64(statement, index, Convert.ToInt64(e, System.Globalization.CultureInfo.InvariantCulture)),
                _ => raw.sqlite3_bind_int64(statement, index, Convert.ToInt64(stored, System.Globalization.CultureInfo.InvariantCulture)),
            }, db);
            (_last, _bound) = (value, true);
        }
    }
}
