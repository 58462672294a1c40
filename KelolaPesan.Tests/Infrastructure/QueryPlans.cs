using System.Collections.Concurrent;
using System.Data.Common;
using KelolaPesan.Data.Common;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Infrastructure;

/// <summary>
/// SQLite's plan of every statement the app runs (<c>EXPLAIN QUERY PLAN</c> with the statement's own parameters, on its
/// connection, just before it runs), on a database without statistics as the app's: the plan the statement really got
/// (docs/adr/0031: a plan that needs <c>ANALYZE</c> to be right is wrong here). Other providers record nothing.
/// </summary>
public sealed class QueryPlans : SqlitePlanInterceptor
{
    private readonly ConcurrentQueue<(string Sql, string Plan)> _plans = new();

    public IReadOnlyList<(string Sql, string Plan)> Plans => _plans.ToList();

    /// <summary>The plans of the statements whose text contains every one of <paramref name="fragments"/>.</summary>
    public IReadOnlyList<string> Of(params string[] fragments) =>
        _plans.Where(p => fragments.All(f => p.Sql.Contains(f, StringComparison.Ordinal))).Select(p => p.Plan).ToList();

    protected override void Planned(DbCommand command, string plan) => _plans.Enqueue((command.CommandText, plan));

    /// <summary>Registers a database factory whose contexts carry this interceptor, in place of the host's own.</summary>
    public void Install(IServiceCollection services, TestDatabase database) => database.Intercept(services, this);
}
