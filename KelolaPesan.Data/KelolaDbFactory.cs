using System.Data.Common;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Data.Interceptors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KelolaPesan.Data;

/// <summary>Builds provider-specific contexts from options made once per process.</summary>
public sealed class KelolaDbContextActivator
{
    private readonly DbContextOptions<SqliteKelolaDbContext>? _sqlite;
    private readonly DbContextOptions<SqlServerKelolaDbContext>? _sqlServer;
    private readonly DbContextOptions<PostgresKelolaDbContext>? _postgres;
    private readonly IInterceptor[] _interceptors;

    /// <param name="extra">Further interceptors (tests inject faults with them).</param>
    public KelolaDbContextActivator(DatabaseSettings settings, TimestampInterceptor timestamps, IEnumerable<IInterceptor>? extra = null)
    {
        var interceptors = new IInterceptor[] { timestamps }.Concat(extra ?? []).ToArray();
        _interceptors = interceptors;
        if (settings.Provider == DatabaseProvider.SqlServer)
            _sqlServer = new DbContextOptionsBuilder<SqlServerKelolaDbContext>()
                .UseSqlServer(settings.ConnectionString, o => o.EnableRetryOnFailure())
                .AddInterceptors(interceptors).Options;
        else if (settings.Provider == DatabaseProvider.Postgres)
            _postgres = new DbContextOptionsBuilder<PostgresKelolaDbContext>()
                .UseNpgsql(settings.ConnectionString, o => o.EnableRetryOnFailure())
                .AddInterceptors(interceptors).Options;
        else
            _sqlite = new DbContextOptionsBuilder<SqliteKelolaDbContext>()
                .UseSqlite(settings.ConnectionString, o => OnSqlite(o).ExecutionStrategy(d => new SqliteRetryingExecutionStrategy(d)))
                .AddInterceptors([.. interceptors, new SqlitePragmaInterceptor()]).Options;
    }

    public KelolaDbContext Create(ITenantContext tenant) =>
        _sqlServer is not null ? new SqlServerKelolaDbContext(_sqlServer, tenant)
        : _postgres is not null ? new PostgresKelolaDbContext(_postgres, tenant)
        : new SqliteKelolaDbContext(_sqlite!, tenant);

    /// <summary>
    /// A context on an open connection inside a transaction someone else owns (<see cref="RolledBackScope"/>). No
    /// retrying strategy (EF refuses one around a transaction it did not start); the same interceptors and provider, so
    /// the context shares EF's internal services, and with them the compiled-query cache, with <see cref="Create"/>'s.
    /// </summary>
    internal KelolaDbContext CreateIn(DbConnection connection, DbTransaction transaction, ITenantContext tenant)
    {
        KelolaDbContext context = _sqlServer is not null
            ? new SqlServerKelolaDbContext(new DbContextOptionsBuilder<SqlServerKelolaDbContext>().UseSqlServer(connection).AddInterceptors(_interceptors).Options, tenant)
            : _postgres is not null
                ? new PostgresKelolaDbContext(new DbContextOptionsBuilder<PostgresKelolaDbContext>().UseNpgsql(connection).AddInterceptors(_interceptors).Options, tenant)
                : new SqliteKelolaDbContext(new DbContextOptionsBuilder<SqliteKelolaDbContext>().UseSqlite(connection, o => OnSqlite(o))
                    .AddInterceptors([.. _interceptors, new SqlitePragmaInterceptor()]).Options, tenant);
        context.Database.UseTransaction(transaction);
        return context;
    }

    /// <summary>
    /// A list in a query (<c>ids.Contains(x.Id)</c>) goes to SQLite as one JSON array parameter read by json_each, not
    /// as EF 10's default of one parameter per element: Microsoft.Data.Sqlite binds parameters by name, each a walk of
    /// the statement's parameter list, so a batch's 2,000 ids cost 15-20 ms to bind (1 ms as one array). PostgreSQL
    /// and SQL Server keep the default.
    /// </summary>
    private static Microsoft.EntityFrameworkCore.Infrastructure.SqliteDbContextOptionsBuilder OnSqlite(Microsoft.EntityFrameworkCore.Infrastructure.SqliteDbContextOptionsBuilder o) =>
        o.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter);
}

public sealed class KelolaDbFactory(KelolaDbContextActivator activator, ITenantContext scopeTenant, RolledBackScope? rolledBack = null) : IKelolaDbFactory
{
    public Task<IKelolaDb> CreateAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IKelolaDb>(Create(scopeTenant));

    public IKelolaDb CreateForTenant(Guid tenantId)
    {
        var tenant = new TenantContext();
        tenant.SetTenant(tenantId);
        return Create(tenant);
    }

    public IKelolaDb CreateSystem() => Create(SystemTenant.Instance);

    public IKelolaDb CreateForTenants(TenantContext tenant) => Create(tenant);

    private KelolaDbContext Create(ITenantContext tenant) =>
        rolledBack is { IsActive: true } ? rolledBack.Create(tenant) : activator.Create(tenant);
}

/// <summary>The context of platform and system work: sees every tenant.</summary>
public sealed class SystemTenant : ITenantContext
{
    public static readonly SystemTenant Instance = new();
    public Guid? TenantId => null;
    public bool IsSystem => true;
}
