using KelolaPesan.Core.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Accounts;

public class AdminUserConfiguration : IEntityTypeConfiguration<AdminUser>
{
    public void Configure(EntityTypeBuilder<AdminUser> b)
    {
        b.Property(x => x.Email).HasMaxLength(AdminUser.EmailMaxLength);
        b.Property(x => x.Name).HasMaxLength(AdminUser.NameMaxLength);
        b.Property(x => x.PasswordHash).HasMaxLength(200);
        b.Property(x => x.SecurityStamp).HasMaxLength(SecurityStamp.MaxLength);
        b.HasIndex(x => x.Email).IsUnique();
    }
}
