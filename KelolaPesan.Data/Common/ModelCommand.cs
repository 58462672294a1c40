using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace KelolaPesan.Data.Common;

/// <summary>
/// A prepared command over one entity's table whose parameters take their store types and value converters from the
/// EF model, so SQLite (ticks for times, text GUIDs) and SQL Server get exactly what EF itself would write. For the hot
/// paths where EF's per-statement cost (change tracking, expression translation) outweighs the database's own work.
/// </summary>
internal sealed class ModelCommand<T> : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly StoreNames<T> _names;

    public ModelCommand(DbContext context)
    {
        _names = new StoreNames<T>(context);
        _command = context.Database.GetDbConnection().CreateCommand();
        _command.Transaction = context.Database.CurrentTransaction?.GetDbTransaction();
    }

    public string Table => _names.Table;

    public string Column(string property) => _names.Column(property);

    /// <summary>
    /// The columns an INSERT writes, in model order, with their delimited names: every mapped column except those the
    /// database fills itself (computed columns, SQL Server's clustering identity).
    /// </summary>
    public IReadOnlyList<(IProperty Property, string Column)> Columns() =>
        _names.Entity.GetProperties()
            .Where(p => p.GetBeforeSaveBehavior() != PropertySaveBehavior.Ignore)
            .Select(p => (Property: p, Name: p.GetColumnName(_names.StoreObject)))
            .Where(c => c.Name is not null).Select(c => (c.Property, _names.Sql.DelimitIdentifier(c.Name!))).ToList();

    /// <summary>The parameters added so far (tests read their types and sizes without a server).</summary>
    internal DbParameterCollection Parameters => _command.Parameters;

    /// <summary>Adds one parameter per <see cref="Columns"/> entry; returns the INSERT's text and each column's getter and setter.</summary>
    public (string Sql, List<(IClrPropertyGetter Get, Action<object?> Set)> Bindings) BindInsert()
    {
        var columns = Columns();
        var bindings = columns.Select((c, i) => (c.Property.GetGetter(), Parameter($"@p{i}", c.Property))).ToList();
        var sql = $"INSERT INTO {Table} ({string.Join(", ", columns.Select(c => c.Column))}) " +
                  $"VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
        return (sql, bindings);
    }

    /// <summary>Adds a parameter typed like <paramref name="property"/>'s column; the returned setter converts a CLR value.</summary>
    public Action<object?> Parameter(string name, string property) => Parameter(name, _names.Property(property));

    /// <remarks>
    /// The last value and its converted form are kept, so a value that repeats from row to row (tenant, workspace,
    /// broadcast ids, times) is converted once.
    /// </remarks>
    public Action<object?> Parameter(string name, IProperty property)
    {
        var mapping = (RelationalTypeMapping)property.GetRelationalTypeMapping();
        var parameter = mapping.CreateParameter(_command, name, null, property.IsNullable);
        SizeFromColumn(parameter, mapping, property);
        _command.Parameters.Add(parameter);
        var converter = mapping.Converter;
        object? lastClr = null;
        var hasLast = false;
        return value =>
        {
            if (hasLast && Same(value, lastClr))
                return;
            parameter.Value = (value is null ? null : converter is null ? value : converter.ConvertToProvider(value)) ?? DBNull.Value;
            (lastClr, hasLast) = (value, true);
        };
    }

    /// <summary>
    /// A parameter made once and re-bound per row keeps the size it was made with. Made with a null value, SqlClient's
    /// would be 4,000 characters even for nvarchar(max), and every longer value would be cut silently; so text and
    /// binary parameters take the column's size: its length, or -1 (max) when it has none.
    /// </summary>
    private static void SizeFromColumn(DbParameter parameter, RelationalTypeMapping mapping, IProperty property)
    {
        var stored = mapping.Converter?.ProviderClrType ?? mapping.ClrType;
        if (stored != typeof(string) && stored != typeof(byte[]))
            return;
        parameter.Size = property.GetMaxLength() is { } length && length > 0 && !IsMax(mapping.StoreType) ? length : -1;
    }

    private static bool IsMax(string storeType) => storeType.Contains("(max)", StringComparison.OrdinalIgnoreCase);

    // DateTimeOffset.Equals compares instants only: a value with another offset must still be converted (SQL Server keeps the offset).
    private static bool Same(object? a, object? b) =>
        a is DateTimeOffset x && b is DateTimeOffset y ? x.EqualsExact(y) : Equals(a, b);

    public async Task PrepareAsync(string commandText, CancellationToken ct)
    {
        _command.CommandText = commandText;
        await _command.PrepareAsync(ct);
    }

    /// <summary>For a command kept across transactions: each run joins the one current on the connection (or none).</summary>
    public void Enlist(DbTransaction? transaction) => _command.Transaction = transaction;

    public Task<int> ExecuteAsync(CancellationToken ct) => _command.ExecuteNonQueryAsync(ct);

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
