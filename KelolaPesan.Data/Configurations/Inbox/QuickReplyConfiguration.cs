using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Inbox;

public class QuickReplyConfiguration : IEntityTypeConfiguration<QuickReply>
{
    public void Configure(EntityTypeBuilder<QuickReply> b)
    {
        b.Property(x => x.Shortcut).HasMaxLength(QuickReply.ShortcutMaxLength);
        b.Property(x => x.Text).HasMaxLength(QuickReply.TextMaxLength);
        b.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.WorkspaceId, x.Shortcut }).IsUnique();
    }
}
