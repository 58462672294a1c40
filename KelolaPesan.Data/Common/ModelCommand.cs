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
    private readonly IEntityType _entity;
    private readonly StoreObjectIdentifier _table;
    private readonly ISqlGenerationHelper _sql;

    public ModelCommand(DbContext context)
    {
        _entity = context.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        _table = StoreObjectIdentifier.Table(_entity.GetTableName()!, _entity.GetSchema());
        _sql = context.GetService<ISqlGenerationHelper>();
        _command = context.Database.GetDbConnection().CreateCommand();
        _command.Transaction = context.Database.CurrentTransaction?.GetDbTransaction();
    }

    public string Table => _sql.DelimitIdentifier(_table.Name, _table.Schema);

    public string Column(string property) => _sql.DelimitIdentifier(Property(property).GetColumnName(_table)!);

    /// <summary>The mapped columns, in model order, with their delimited names.</summary>
    public IReadOnlyList<(IProperty Property, string Column)> Columns() =>
        _entity.GetProperties().Select(p => (Property: p, Name: p.GetColumnName(_table)))
            .Where(c => c.Name is not null).Select(c => (c.Property, _sql.DelimitIdentifier(c.Name!))).ToList();

    /// <summary>Adds a parameter typed like <paramref name="property"/>'s column; the returned setter converts a CLR value.</summary>
    public Action<object?> Parameter(string name, string property) => Parameter(name, Property(property));

    /// <remarks>
    /// The last value and its converted form are kept, so a value that repeats from row to row (tenant, workspace,
    /// broadcast ids, times) is converted once.
    /// </remarks>
    public Action<object?> Parameter(string name, IProperty property)
    {
        var mapping = (RelationalTypeMapping)property.GetRelationalTypeMapping();
        var parameter = mapping.CreateParameter(_command, name, null, property.IsNullable);
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

    private IProperty Property(string name) => _entity.FindProperty(name) ?? throw new InvalidOperationException($"{typeof(T).Name}.{name} is not mapped.");
}
