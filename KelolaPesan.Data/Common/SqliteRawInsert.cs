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
    private readonly string _sql;
    private readonly Column[] _columns;
    private sqlite3_stmt? _statement;

    private SqliteRawInsert(string sql, Column[] columns) => (_sql, _columns) = (sql, columns);

    public static SqliteRawInsert<T>? TryCreate(ModelCommand<T> command)
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
        return new SqliteRawInsert<T>(sql, [.. columns]);
    }

    private static readonly HashSet<Type> Supported =
        [typeof(string), typeof(long), typeof(int), typeof(short), typeof(byte), typeof(bool), typeof(double), typeof(float), typeof(byte[])];

    /// <summary>Inserts the rows in the connection's current transaction (the caller's).</summary>
    public void Write(SqliteConnection connection, IReadOnlyList<T> rows)
    {
        var db = connection.Handle!;
        if (_statement is null)
            Check(raw.sqlite3_prepare_v2(db, _sql, out _statement), db);
        var statement = _statement;
        foreach (var row in rows)
        {
            for (var i = 0; i < _columns.Length; i++)
                _columns[i].Bind(statement, i + 1, row!, db);
            var rc = raw.sqlite3_step(statement);
            raw.sqlite3_reset(statement);
            if (rc != raw.SQLITE_DONE)
                SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    public void Dispose() => _statement?.Dispose();

    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK)
            SqliteException.ThrowExceptionForRC(rc, db);
    }

    private sealed class Column(IClrPropertyGetter get, ValueConverter? converter)
    {
        private object? _last;
        private bool _bound;

        public void Bind(sqlite3_stmt statement, int index, object row, sqlite3 db)
        {
            var value = get.GetClrValue(row);
            // DateTimeOffset.Equals compares instants only; stored as ticks here, so equal instants are equal values.
            if (_bound && value is not byte[] && Equals(value, _last))
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
