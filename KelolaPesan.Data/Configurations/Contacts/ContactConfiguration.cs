using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Contacts;

public class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> b)
    {
        b.Property(x => x.Name).HasMaxLength(Contact.NameMaxLength);
        b.Property(x => x.Phone).HasMaxLength(Contact.PhoneMaxLength);
        b.Property(x => x.Email).HasMaxLength(Contact.EmailMaxLength);
        b.Property(x => x.GroupId).HasMaxLength(Contact.GroupIdMaxLength);
        b.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.FieldValues).WithOne().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.WorkspaceId, x.Phone }).IsUnique();
        b.HasIndex(x => new { x.WorkspaceId, x.Name });
        // A broadcast reads its audience in pages in this order (BroadcastAudience): a seek per page, not a sort.
        b.HasIndex(x => new { x.WorkspaceId, x.CreatedAt, x.Id });
        b.HasIndex(x => x.TenantId);
    }
}
