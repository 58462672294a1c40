using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Attachments;

public class AttachmentConfiguration : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> b)
    {
        b.Property(x => x.OriginalFileName).HasMaxLength(Attachment.FileNameMaxLength);
        b.Property(x => x.StoredFileName).HasMaxLength(Attachment.FileNameMaxLength);
        b.Property(x => x.MimeType).HasMaxLength(Attachment.MimeTypeMaxLength);
        b.Property(x => x.StorageKey).HasMaxLength(Attachment.StorageKeyMaxLength);
        b.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.StorageKey).IsUnique();
        b.HasIndex(x => x.WorkspaceId);
    }
}
