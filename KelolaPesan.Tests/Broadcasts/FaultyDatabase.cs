using System.Data.Common;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Data;
using KelolaPesan.Data.Interceptors;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>
/// A real database fault on the real SQLite file: the first command whose text matches <see cref="FailOnce"/>'s predicate
/// fails with a SQLite error ("database is locked") instead of running, as a locked or lost database would.
/// </summary>
public sealed class CommandFault : DbCommandInterceptor
{
    private Func<string, bool>? _match;
    public int Fired;

    public void FailOnce(Func<string, bool> match) => Interlocked.Exchange(ref _match, match);

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (_match is { } match && match(command.CommandText) && Interlocked.CompareExchange(ref _match, null, match) == match)
        {
            Interlocked.Increment(ref Fired);
            throw new SqliteException("database is locked (injected after the gateway call)", 5);
        }
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    /// <summary>Registers a database factory whose contexts carry this fault, in place of the host's own.</summary>
    public void Install(IServiceCollection services, SqliteTestDatabase database)
    {
        var options = new DbContextOptionsBuilder<SqliteKelolaDbContext>()
            .UseSqlite(database.ConnectionString)
            .AddInterceptors(new TimestampInterceptor(database.Clock), new SqlitePragmaInterceptor(), this).Options;
        services.AddScoped<IKelolaDbFactory>(sp => new FaultyFactory(options, sp.GetRequiredService<ITenantContext>()));
    }

    private sealed class FaultyFactory(DbContextOptions<SqliteKelolaDbContext> options, ITenantContext scopeTenant) : IKelolaDbFactory
    {
        public Task<IKelolaDb> CreateAsync(CancellationToken cancellationToken = default) => Task.FromResult<IKelolaDb>(new SqliteKelolaDbContext(options, scopeTenant));

        public IKelolaDb CreateForTenant(Guid tenantId)
        {
            var tenant = new TenantContext();
            tenant.SetTenant(tenantId);
            return new SqliteKelolaDbContext(options, tenant);
        }

        public IKelolaDb CreateSystem() => new SqliteKelolaDbContext(options, SystemTenant.Instance);
    }
}
