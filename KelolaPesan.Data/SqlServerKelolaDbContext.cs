using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Data;

public class SqlServerKelolaDbContext(DbContextOptions<SqlServerKelolaDbContext> options, ITenantContext tenant)
    : KelolaDbContext(options, tenant)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // Persisted so the (TenantId, PhoneNumberReversed) index stores it; number search reads it as "ends with".
        modelBuilder.Entity<Chat>().Property<string?>(Chat.PhoneNumberReversedColumn)
            .HasComputedColumnSql("REVERSE([PhoneNumber])", stored: true);
    }
}
