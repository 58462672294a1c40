using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Workspaces;

public class LidMappingConfiguration : IEntityTypeConfiguration<LidMapping>
{
    public void Configure(EntityTypeBuilder<LidMapping> b)
    {
        b.Property(x => x.Lid).HasMaxLength(LidMapping.LidMaxLength);
        b.Property(x => x.PhoneNumber).HasMaxLength(20);
        b.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.WorkspaceId, x.Lid }).IsUnique();
    }
}
