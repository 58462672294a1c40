using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Tenancy;

public class AgencyConfiguration : IEntityTypeConfiguration<Agency>
{
    public void Configure(EntityTypeBuilder<Agency> b)
    {
        b.Property(x => x.Name).HasMaxLength(Agency.NameMaxLength);
        b.HasOne(x => x.Licence).WithMany().HasForeignKey(x => x.LicenceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.LicenceId).IsUnique();
    }
}
