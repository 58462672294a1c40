using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using KelolaPesan.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace KelolaPesan.Bench;

/// <summary>
/// KELOLA_BENCH_STATEMENTS=N: every statement's count, total and slowest time, and the statements that took N ms in all
/// or more printed at the end of the run (<see cref="BenchDatabase"/>'s dispose): where a scenario's database time
/// goes, without a profiler. On SQLite each with the plan it got the first time it ran (<c>EXPLAIN QUERY PLAN</c> with its
/// parameters; no statistics, as in the app: docs/adr/0031). Also on SQLite, the pages each statement read from the
/// file rather than its connection's cache: in WAL mode a connection drops its cache whenever another has written, so
/// under steady writes the page reads (system calls and copies) are a large part of the CPU.
/// </summary>
internal sealed partial class SlowStatements(double thresholdMs) : SqlitePlanInterceptor, IDbTransactionInterceptor
{
    private const string Commit = "COMMIT (the transaction's commit, not a statement of its own)";

    private readonly ConcurrentDictionary<string, Tally> _tallies = new();
    private readonly ConcurrentDictionary<string, string> _plans = new();
    // Per physical connection (the pooled handle outlives each context's SqliteConnection), the last command that ran on it.
    private readonly ConditionalWeakTable<sqlite3, StrongBox<string?>> _lastOn = new();

    public static SlowStatements? FromEnvironment() =>
        double.TryParse(Environment.GetEnvironmentVariable("KELOLA_BENCH_STATEMENTS"), CultureInfo.InvariantCulture, out var ms) ? new SlowStatements(ms) : null;

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        CountPages(command);
        return base.NonQueryExecuting(command, eventData, result);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        CountPages(command);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        CountPages(command);
        return base.ReaderExecuting(command, eventData, result);
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        CountPages(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    // A commit's page reads (FTS5's pending terms go to disk then) are counted apart from its last statement's.
    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        CountPages(transaction.Connection, Commit);
        return result;
    }

    public ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result,
        CancellationToken cancellationToken = default)
    {
        CountPages(transaction.Connection, Commit);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => CountPages(transaction.Connection, null);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        CountPages(transaction.Connection, null);
        return Task.CompletedTask;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Count(command, eventData.Duration);
        return ValueTask.FromResult(result);
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Count(command, eventData.Duration);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Count(command, eventData.Duration);
        return ValueTask.FromResult(result);
    }

    public void Print()
    {
        foreach (var (sql, t) in _tallies.Where(t => t.Value.TotalMs >= thresholdMs).OrderByDescending(t => t.Value.TotalMs))
            Console.WriteLine(FormattableString.Invariant($"statement: {t.Count:N0} runs, {t.TotalMs / 1000:0.00} s in all, slowest {t.MaxMs:0} ms (the reader's open, not its rows), ") +
                PagesRead(t) + $":\n{Shorten(sql)}" + (_plans.TryGetValue(sql, out var plan) && plan.Trim().Length > 0 ? $"\nplan:\n{plan}\n" : ""));
        var pages = _tallies.Sum(t => t.Value.Pages);
        if (pages == 0)
            return;
        Console.WriteLine(FormattableString.Invariant($"pages read from the file (not the connection's cache): {pages:N0} in all; the most:"));
        foreach (var (sql, t) in _tallies.OrderByDescending(t => t.Value.Pages).Take(15))
            Console.WriteLine(FormattableString.Invariant($"  {t.Pages * 100.0 / pages:0.0}%: {PagesRead(t)}, {t.Count:N0} runs: {Cut(Shorten(sql).ReplaceLineEndings(" "))}"));
    }

    private static string Cut(string text) => text.Length <= 300 ? text : text[..300];

    private static string PagesRead(Tally t) => FormattableString.Invariant($"{t.Pages:N0} pages read ({(t.Count == 0 ? 0 : t.Pages / (double)t.Count):0.0} a run)");

    /// <summary>
    /// The connection's cache misses since its previous command are that command's: commands on one connection run one
    /// after another. What ran on it outside EF in between (the pragmas at open, raw inserts) counts for the command before.
    /// </summary>
    private void CountPages(DbCommand command) => CountPages(command.Connection, command.CommandText);

    private void CountPages(DbConnection? connection, string? next)
    {
        if (connection is not SqliteConnection { Handle: { } handle })
            return;
        raw.sqlite3_db_status(handle, raw.SQLITE_DBSTATUS_CACHE_MISS, out var misses, out _, 1);
        var last = _lastOn.GetValue(handle, _ => new StrongBox<string?>());
        if (last.Value is { } previous && misses > 0 && _tallies.TryGetValue(previous, out var tally))
            Interlocked.Add(ref tally.Pages, misses);
        last.Value = next;
        if (next == Commit)
            Interlocked.Increment(ref _tallies.GetOrAdd(Commit, _ => new Tally()).Count);
    }

    private void Count(DbCommand command, TimeSpan duration)
    {
        var tally = _tallies.GetOrAdd(command.CommandText, _ => new Tally());
        lock (tally)
        {
            tally.Count++;
            tally.TotalMs += duration.TotalMilliseconds;
            tally.MaxMs = Math.Max(tally.MaxMs, duration.TotalMilliseconds);
        }
    }

    protected override bool Wants(DbCommand command) => !_plans.ContainsKey(command.CommandText);

    protected override void Planned(DbCommand command, string plan) => _plans.TryAdd(command.CommandText, "  " + plan.Replace("\n", "\n  "));

    /// <summary>An IN list of thousands of parameters shortened to its first few.</summary>
    private static string Shorten(string sql) =>
        ParameterRun().Replace(sql, m => $"{m.Value[..40]}... ({m.Value.Split(',').Length} parameters)");

    [GeneratedRegex(@"(@\w+?)\d+(, \1\d+){8,}")]
    private static partial Regex ParameterRun();

    private sealed class Tally
    {
        public long Count;
        public double TotalMs;
        public double MaxMs;
        public long Pages;
    }
}
