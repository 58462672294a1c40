using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using KelolaPesan.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KelolaPesan.Bench;

/// <summary>
/// KELOLA_BENCH_STATEMENTS=N: every statement's count, total and slowest time, and the statements that took N ms in all
/// or more printed at the end of the run (<see cref="BenchDatabase"/>'s dispose): where a scenario's database time
/// goes, without a profiler. On SQLite each with the plan it got the first time it ran (<c>EXPLAIN QUERY PLAN</c> with its
/// parameters; no statistics, as in the app: docs/adr/0031).
/// </summary>
internal sealed partial class SlowStatements(double thresholdMs) : SqlitePlanInterceptor
{
    private readonly ConcurrentDictionary<string, Tally> _tallies = new();
    private readonly ConcurrentDictionary<string, string> _plans = new();

    public static SlowStatements? FromEnvironment() =>
        double.TryParse(Environment.GetEnvironmentVariable("KELOLA_BENCH_STATEMENTS"), CultureInfo.InvariantCulture, out var ms) ? new SlowStatements(ms) : null;

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
            Console.WriteLine(FormattableString.Invariant($"statement: {t.Count:N0} runs, {t.TotalMs / 1000:0.00} s in all, slowest {t.MaxMs:0} ms (the reader's open, not its rows):\n{Shorten(sql)}")
                + (_plans.TryGetValue(sql, out var plan) && plan.Trim().Length > 0 ? $"\nplan:\n{plan}\n" : ""));
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
    }
}
