using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace KelolaPesan.Data.Common;

/// <summary>An entity's table, columns and properties as the EF model maps them on this provider, delimited for hand-written SQL.</summary>
internal sealed class StoreNames<T>
{
    private readonly IEntityType _entity;
    private readonly StoreObjectIdentifier _table;
    private readonly ISqlGenerationHelper _sql;

    public StoreNames(DbContext context)
    {
        _entity = context.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        _table = StoreObjectIdentifier.Table(_entity.GetTableName()!, _entity.GetSchema());
        _sql = context.GetService<ISqlGenerationHelper>();
    }

    public IEntityType Entity => _entity;

    public StoreObjectIdentifier StoreObject => _table;

    public ISqlGenerationHelper Sql => _sql;

    public string Table => _sql.DelimitIdentifier(_table.Name, _table.Schema);

    public string Column(string property) => _sql.DelimitIdentifier(Property(property).GetColumnName(_table)!);

    public IProperty Property(string name) => _entity.FindProperty(name) ?? throw new InvalidOperationException($"{typeof(T).Name}.{name} is not mapped.");
}
