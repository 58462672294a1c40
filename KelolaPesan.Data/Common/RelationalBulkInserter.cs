using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Data.Common;

/// <summary>One prepared INSERT, re-bound per row, in one transaction (the caller's, if it has begun one).</summary>
public sealed class RelationalBulkInserter : IBulkInserter
{
    public async Task InsertAsync<T>(IKelolaDb db, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0)
            return;
        var context = (DbContext)db;
        await context.Database.OpenConnectionAsync(ct);
        try
        {
            // Joins the caller's transaction when there is one (rows written together with other changes), else its own.
            var own = context.Database.CurrentTransaction is null ? await context.Database.BeginTransactionAsync(ct) : null;
            await using var ownScope = own;
            await using var insert = new ModelCommand<T>(context);
            var columns = insert.Columns();
            var bindings = columns.Select((c, i) => (Get: c.Property.GetGetter(), Set: insert.Parameter($"@p{i}", c.Property))).ToList();
            await insert.PrepareAsync($"INSERT INTO {insert.Table} ({string.Join(", ", columns.Select(c => c.Column))}) " +
                                      $"VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})", ct);
            foreach (var row in rows)
            {
                foreach (var (get, set) in bindings)
                    set(get.GetClrValue(row));
                await insert.ExecuteAsync(ct);
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
