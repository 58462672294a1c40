using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Tenancy;

public class LicenceConfiguration : IEntityTypeConfiguration<Licence>
{
    public void Configure(EntityTypeBuilder<Licence> b)
    {
        b.Property(x => x.Name).HasMaxLength(Licence.NameMaxLength);
        b.Property(x => x.CodePrefix).HasMaxLength(16);
        b.Property(x => x.CodeHash).HasMaxLength(32);
        b.HasIndex(x => x.CodePrefix).IsUnique();
    }
}
