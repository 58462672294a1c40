using KelolaPesan.Core.Contacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Contacts;

public class ContactFieldValueConfiguration : IEntityTypeConfiguration<ContactFieldValue>
{
    public void Configure(EntityTypeBuilder<ContactFieldValue> b)
    {
        b.Property(x => x.Value).HasMaxLength(CustomFieldDefinition.ValueMaxLength);
        // No cascade from the field definition: SQL Server refuses two cascade paths to one table.
        b.HasOne<CustomFieldDefinition>().WithMany().HasForeignKey(x => x.FieldId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.ContactId, x.FieldId }).IsUnique();
        b.HasIndex(x => new { x.FieldId, x.Value });
    }
}
