using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace KelolaPesan.Data;

// Used only by `dotnet ef migrations add`; each provider owns its migration set.
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteKelolaDbContext>
{
    public SqliteKelolaDbContext CreateDbContext(string[] args) => new(
        new DbContextOptionsBuilder<SqliteKelolaDbContext>().UseSqlite("Data Source=design.db").Options, SystemTenant.Instance);
}

public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerKelolaDbContext>
{
    public SqlServerKelolaDbContext CreateDbContext(string[] args) => new(
        new DbContextOptionsBuilder<SqlServerKelolaDbContext>().UseSqlServer("Server=.;Database=KelolaPesan;Trusted_Connection=True;TrustServerCertificate=True").Options,
        SystemTenant.Instance);
}

public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresKelolaDbContext>
{
    public PostgresKelolaDbContext CreateDbContext(string[] args) => new(
        new DbContextOptionsBuilder<PostgresKelolaDbContext>().UseNpgsql("Host=localhost;Database=kelolapesan;Username=postgres").Options,
        SystemTenant.Instance);
}
