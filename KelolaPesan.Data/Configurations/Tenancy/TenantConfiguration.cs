using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Tenancy;

public class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> b)
    {
        b.Property(x => x.Name).HasMaxLength(Tenant.NameMaxLength);
        b.Property(x => x.TimeZone).HasMaxLength(64);
        b.Property(x => x.PhoneRegion).HasMaxLength(2);
        // Existing tenants get the default too; the sentinel (true) lets EF send an explicit false.
        b.Property(x => x.AssignOnReply).HasDefaultValue(true).HasSentinel(true);
        b.HasOne(x => x.Licence).WithMany().HasForeignKey(x => x.LicenceId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Agency).WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.LicenceId).IsUnique();
    }
}
