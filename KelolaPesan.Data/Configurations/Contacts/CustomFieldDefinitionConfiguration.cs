using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Contacts;

public class CustomFieldDefinitionConfiguration : IEntityTypeConfiguration<CustomFieldDefinition>
{
    public void Configure(EntityTypeBuilder<CustomFieldDefinition> b)
    {
        b.ToTable("CustomFields");
        b.Property(x => x.Key).HasMaxLength(CustomFieldDefinition.KeyMaxLength);
        b.Property(x => x.Label).HasMaxLength(CustomFieldDefinition.LabelMaxLength);
        b.Property(x => x.Choices).HasMaxLength(4000);
        b.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.TenantId, x.Key }).IsUnique();
    }
}
