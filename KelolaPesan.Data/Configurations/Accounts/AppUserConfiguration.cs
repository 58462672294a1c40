using KelolaPesan.Core.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Accounts;

public class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.ToTable("Users");
        b.Property(x => x.Username).HasMaxLength(AppUser.UsernameMaxLength);
        b.Property(x => x.DisplayName).HasMaxLength(AppUser.DisplayNameMaxLength);
        b.Property(x => x.Phone).HasMaxLength(AppUser.PhoneMaxLength);
        b.Property(x => x.PasswordHash).HasMaxLength(200);
        b.Property(x => x.SecurityStamp).HasMaxLength(SecurityStamp.MaxLength);
        b.Property(x => x.NormalizedUsername).HasMaxLength(AppUser.UsernameMaxLength);
        // Unique and looked up by the normalised form: "Ani" and "ani" are one user on every provider.
        b.HasIndex(x => new { x.TenantId, x.NormalizedUsername }).IsUnique();
        b.HasIndex(x => new { x.AgencyId, x.NormalizedUsername });
    }
}
