using System.Data;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KelolaPesan.Data.Common;

/// <summary>
/// A batch of rows as one <see cref="SqlBulkCopy"/> on SQL Server (its bulk-load protocol, the idiomatic fast path),
/// over the same columns and value conversions as the prepared INSERT (<see cref="ModelCommand{T}"/>) and inside the
/// connection's current transaction: the counterpart of <see cref="PostgresCopy{T}"/>. Columns are mapped by name, so
/// the table's own order does not matter and the clustering identity (not among the columns) is filled by the server.
/// No SQL Server runs in the tests: <see cref="Columns"/> and <see cref="ToDataTable"/> are what the tests check
/// against the model (names, types, conversions), the rest is SqlClient's.
/// </summary>
internal sealed class SqlServerBulkCopy<T>
{
    /// <summary>Below this the prepared INSERT is as quick (the webhook writer's batches of a few rows keep it).</summary>
    public const int FromRows = 100;

    // CheckConstraints: without it the server skips the foreign keys and marks them untrusted, which costs every later
    // query plan that relies on them; the batches here are small enough that checking is cheap.
    private const SqlBulkCopyOptions Options = SqlBulkCopyOptions.CheckConstraints;

    private readonly string _table;
    private readonly List<(IClrPropertyGetter Get, ValueConverter? Converter, DataColumn Column)> _columns;

    public SqlServerBulkCopy(ModelCommand<T> command)
    {
        _table = command.Table;
        _columns = command.Columns().Select(c =>
        {
            var mapping = (RelationalTypeMapping)c.Property.GetRelationalTypeMapping();
            var stored = mapping.Converter?.ProviderClrType ?? mapping.ClrType;
            var column = new DataColumn(ColumnName(c.Property), Nullable.GetUnderlyingType(stored) ?? stored) { AllowDBNull = c.Property.IsNullable };
            return (c.Property.GetGetter(), mapping.Converter, column);
        }).ToList();
    }

    /// <summary>The destination table as SqlBulkCopy is given it (delimited).</summary>
    public string Table => _table;

    /// <summary>The columns written, by name, with the type of the values SqlClient is handed.</summary>
    public IReadOnlyList<DataColumn> Columns => _columns.Select(c => c.Column).ToList();

    /// <summary>The rows as SqlBulkCopy reads them: provider values (after EF's converters), DBNull for null.</summary>
    public DataTable ToDataTable(IReadOnlyList<T> rows)
    {
        var table = new DataTable(_table);
        foreach (var (_, _, column) in _columns)
            table.Columns.Add(new DataColumn(column.ColumnName, column.DataType) { AllowDBNull = column.AllowDBNull });
        table.BeginLoadData();
        var values = new object[_columns.Count];
        foreach (var row in rows)
        {
            for (var i = 0; i < _columns.Count; i++)
            {
                var (get, converter, _) = _columns[i];
                var value = get.GetClrValue(row!);
                if (value is not null && converter is not null)
                    value = converter.ConvertToProvider(value);
                values[i] = value ?? DBNull.Value;
            }
            table.Rows.Add(values);
        }
        table.EndLoadData();
        return table;
    }

    public async Task WriteAsync(SqlConnection connection, SqlTransaction? transaction, IReadOnlyList<T> rows, CancellationToken ct)
    {
        using var data = ToDataTable(rows);
        using var bulk = new SqlBulkCopy(connection, Options, transaction)
        {
            DestinationTableName = _table,
            // One batch: the rows commit or roll back with the caller's transaction anyway.
            BatchSize = 0,
            BulkCopyTimeout = 0,
        };
        foreach (DataColumn column in data.Columns)
            bulk.ColumnMappings.Add(column.ColumnName, column.ColumnName);
        await bulk.WriteToServerAsync(data, ct);
    }

    private static string ColumnName(IProperty property)
    {
        var entity = property.DeclaringType.ContainingEntityType;
        return property.GetColumnName(StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema()))!;
    }
}
