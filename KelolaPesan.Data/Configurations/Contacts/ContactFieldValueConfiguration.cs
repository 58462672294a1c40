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
        b.Property(x => x.ValuePrefix).HasMaxLength(ContactFieldValue.ValuePrefixLength);
        // The value's prefix, not the value: (FieldId, Value nvarchar(1000)) is over SQL Server's 1,700-byte key limit.
        b.HasIndex(x => new { x.FieldId, x.ValuePrefix });
    }
}
