using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Workspaces;

public class WorkspaceEventConfiguration : IEntityTypeConfiguration<WorkspaceEvent>
{
    public void Configure(EntityTypeBuilder<WorkspaceEvent> b)
    {
        b.Property(x => x.Operation).HasMaxLength(WorkspaceEvent.OperationMaxLength);
        b.Property(x => x.Message).HasMaxLength(WorkspaceEvent.MessageMaxLength);
        b.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.WorkspaceId, x.At });
    }
}
