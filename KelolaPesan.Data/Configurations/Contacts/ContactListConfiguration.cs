using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Contacts;

public class ContactListConfiguration : IEntityTypeConfiguration<ContactList>
{
    public void Configure(EntityTypeBuilder<ContactList> b)
    {
        b.Property(x => x.Name).HasMaxLength(ContactList.NameMaxLength);
        b.Property(x => x.Description).HasMaxLength(500);
        b.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.NormalizedName).HasMaxLength(ContactList.NameMaxLength);
        // Names are unique per workspace whatever their case, on every provider.
        b.HasIndex(x => new { x.WorkspaceId, x.NormalizedName }).IsUnique();
    }
}
