using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Infrastructure;

/// <summary>
/// Counts the rows each query's reader handed out, on the real provider: what a path holds at once shows here, since
/// loading a whole table into memory takes one query reading the whole table (the count of its reader).
/// </summary>
public sealed class ReadCounter : DbCommandInterceptor
{
    private readonly ConcurrentQueue<(string Sql, int Rows)> _reads = new();

    public IReadOnlyList<(string Sql, int Rows)> Reads => _reads.ToList();

    public void Clear() => _reads.Clear();

    /// <summary>
    /// The most rows one query read whose text mentions <paramref name="table"/> (all queries when null), as the
    /// provider's reads: a reader read to its end counts one more than its rows (the read that found none).
    /// </summary>
    public int MostRows(string? table = null) =>
        _reads.Where(r => table is null || r.Sql.Contains(table, StringComparison.OrdinalIgnoreCase)).Select(r => r.Rows).DefaultIfEmpty().Max();

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        _reads.Enqueue((command.CommandText, eventData.ReadCount));
        return result;
    }

    /// <summary>Registers a database factory whose contexts carry this counter, in place of the host's own.</summary>
    public void Install(IServiceCollection services, TestDatabase database) => database.Intercept(services, this);
}
