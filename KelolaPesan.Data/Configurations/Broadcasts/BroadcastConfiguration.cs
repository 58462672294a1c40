using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Broadcasts;

public class BroadcastConfiguration : IEntityTypeConfiguration<Broadcast>
{
    public void Configure(EntityTypeBuilder<Broadcast> b)
    {
        b.Property(x => x.Name).HasMaxLength(Broadcast.NameMaxLength);
        b.Property(x => x.MessageTemplate).HasMaxLength(Broadcast.MessageMaxLength);
        b.Property(x => x.StatusReason).HasMaxLength(1000);
        b.Property(x => x.WatermarkFooter).HasMaxLength(Core.Admin.PlatformSettings.WatermarkMaxLength);
        b.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.WorkspaceId, x.Status });
        b.HasIndex(x => new { x.TenantId, x.CreatedAt });
    }
}
