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

    /// <param name="extra">Further interceptors (tests inject faults with them).</param>
    public KelolaDbContextActivator(DatabaseSettings settings, TimestampInterceptor timestamps, IEnumerable<IInterceptor>? extra = null)
    {
        var interceptors = new IInterceptor[] { timestamps }.Concat(extra ?? []).ToArray();
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
                .UseSqlite(settings.ConnectionString, o => o.ExecutionStrategy(d => new SqliteRetryingExecutionStrategy(d)))
                .AddInterceptors([.. interceptors, new SqlitePragmaInterceptor()]).Options;
    }

    public KelolaDbContext Create(ITenantContext tenant) =>
        _sqlServer is not null ? new SqlServerKelolaDbContext(_sqlServer, tenant)
        : _postgres is not null ? new PostgresKelolaDbContext(_postgres, tenant)
        : new SqliteKelolaDbContext(_sqlite!, tenant);
}

public sealed class KelolaDbFactory(KelolaDbContextActivator activator, ITenantContext scopeTenant) : IKelolaDbFactory
{
    public Task<IKelolaDb> CreateAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IKelolaDb>(activator.Create(scopeTenant));

    public IKelolaDb CreateForTenant(Guid tenantId)
    {
        var tenant = new TenantContext();
        tenant.SetTenant(tenantId);
        return activator.Create(tenant);
    }

    public IKelolaDb CreateSystem() => activator.Create(SystemTenant.Instance);

    public IKelolaDb CreateForTenants(TenantContext tenant) => activator.Create(tenant);
}

/// <summary>The context of platform and system work: sees every tenant.</summary>
public sealed class SystemTenant : ITenantContext
{
    public static readonly SystemTenant Instance = new();
    public Guid? TenantId => null;
    public bool IsSystem => true;
}
