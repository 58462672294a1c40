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
            var bindings = new List<(IProperty Property, DbParameter Parameter, Func<object?, object?> Convert)>();
            for (var i = 0; i < columns.Count; i++)
            {
                var mapping = (RelationalTypeMapping)columns[i].Property.GetRelationalTypeMapping();
                var parameter = mapping.CreateParameter(command, $"@p{i}", null, columns[i].Property.IsNullable);
                command.Parameters.Add(parameter);
                var converter = mapping.Converter;
                bindings.Add((columns[i].Property, parameter, converter is null ? v => v : v => v is null ? null : converter.ConvertToProvider(v)));
            }
            command.CommandText = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Column!)))}) " +
                                  $"VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
            await command.PrepareAsync(ct);
            foreach (var row in rows)
            {
                foreach (var (property, parameter, convert) in bindings)
                    parameter.Value = convert(property.GetGetter().GetClrValue(row)) ?? DBNull.Value;
                await command.ExecuteNonQueryAsync(ct);
            }
            if (own is not null)
                await own.CommitAsync(ct);
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }
}
