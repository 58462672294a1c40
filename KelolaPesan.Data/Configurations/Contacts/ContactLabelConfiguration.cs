using KelolaPesan.Core.Contacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Contacts;

public class ContactLabelConfiguration : IEntityTypeConfiguration<ContactLabel>
{
    public void Configure(EntityTypeBuilder<ContactLabel> b)
    {
        b.HasOne<Contact>().WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Label>().WithMany().HasForeignKey(x => x.LabelId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.ContactId, x.LabelId }).IsUnique();
        b.HasIndex(x => x.LabelId);
    }
}
