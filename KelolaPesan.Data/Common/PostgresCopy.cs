using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace KelolaPesan.Data.Common;

/// <summary>
/// A batch of rows as one binary COPY on PostgreSQL, over the same columns and value conversions as the prepared
/// INSERT (<see cref="ModelCommand{T}"/>). A row-by-row INSERT costs a round trip to the server per row, which a
/// large batch (materialising a broadcast, an import batch) feels on a busy machine; the COPY streams the batch at
/// once, inside the connection's current transaction.
/// </summary>
internal sealed class PostgresCopy<T>
{
    /// <summary>Below this the prepared INSERT is as quick (the webhook writer's batches of a few rows keep it).</summary>
    public const int FromRows = 100;

    private readonly string _sql;
    private readonly List<(Microsoft.EntityFrameworkCore.Metadata.IClrPropertyGetter Get, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? Converter, string Type)> _columns;

    public PostgresCopy(ModelCommand<T> command)
    {
        var columns = command.Columns();
        _sql = $"COPY {command.Table} ({string.Join(", ", columns.Select(c => c.Column))}) FROM STDIN (FORMAT BINARY)";
        _columns = columns.Select(c =>
        {
            var mapping = (Microsoft.EntityFrameworkCore.Storage.RelationalTypeMapping)c.Property.GetRelationalTypeMapping();
            // The COPY names each value's type; the store type without its length ("character varying(200)").
            return (c.Property.GetGetter(), mapping.Converter, mapping.StoreType.Split('(')[0].Trim());
        }).ToList();
    }

    public async Task WriteAsync(NpgsqlConnection connection, IReadOnlyList<T> rows, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync(_sql, ct);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(ct);
            foreach (var (get, converter, type) in _columns)
            {
                var value = get.GetClrValue(row!);
                if (value is not null && converter is not null)
                    value = converter.ConvertToProvider(value);
                if (value is null)
                    await copy.WriteNullAsync(ct);
                else
                    await copy.WriteAsync(value, type, ct);
            }
        }
        await copy.CompleteAsync(ct);
    }
}
