using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KelolaPesan.Data;

public class SqliteKelolaDbContext(DbContextOptions<SqliteKelolaDbContext> options, ITenantContext tenant)
    : KelolaDbContext(options, tenant)
{
    /// <summary>
    /// SQLite cannot compare or ORDER BY a DateTimeOffset, and the inbox sorts by time everywhere:
    /// store them as a long that orders by the UTC instant.
    /// </summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
