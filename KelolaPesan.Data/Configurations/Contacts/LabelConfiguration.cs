using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Contacts;

public class LabelConfiguration : IEntityTypeConfiguration<Label>
{
    public void Configure(EntityTypeBuilder<Label> b)
    {
        b.Property(x => x.Name).HasMaxLength(Label.NameMaxLength);
        b.Property(x => x.Color).HasMaxLength(16);
        b.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.NormalizedName).HasMaxLength(Label.NameMaxLength);
        // Names are unique per workspace whatever their case, on every provider.
        b.HasIndex(x => new { x.WorkspaceId, x.NormalizedName }).IsUnique();
    }
}
