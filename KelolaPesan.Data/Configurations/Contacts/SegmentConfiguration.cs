using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Contacts;

public class SegmentConfiguration : IEntityTypeConfiguration<Segment>
{
    public void Configure(EntityTypeBuilder<Segment> b)
    {
        b.Property(x => x.Name).HasMaxLength(Segment.NameMaxLength);
        b.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.NormalizedName).HasMaxLength(Segment.NameMaxLength);
        // Names are unique per workspace whatever their case, on every provider.
        b.HasIndex(x => new { x.WorkspaceId, x.NormalizedName }).IsUnique();
    }
}
