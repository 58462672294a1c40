using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Broadcasts;

public class SequenceConfiguration : IEntityTypeConfiguration<Sequence>
{
    public void Configure(EntityTypeBuilder<Sequence> b)
    {
        b.Property(x => x.Name).HasMaxLength(Sequence.NameMaxLength);
        b.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.WorkspaceId);
    }
}

public class SequenceStepConfiguration : IEntityTypeConfiguration<SequenceStep>
{
    public void Configure(EntityTypeBuilder<SequenceStep> b)
    {
        b.Property(x => x.MessageTemplate).HasMaxLength(Broadcast.MessageMaxLength);
        b.HasOne<Sequence>().WithMany().HasForeignKey(x => x.SequenceId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.SequenceId, x.Order }).IsUnique();
    }
}

public class SequenceEnrollmentConfiguration : IEntityTypeConfiguration<SequenceEnrollment>
{
    public void Configure(EntityTypeBuilder<SequenceEnrollment> b)
    {
        b.Property(x => x.StopReason).HasMaxLength(200);
        b.HasOne<Sequence>().WithMany().HasForeignKey(x => x.SequenceId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.SequenceId, x.ContactId }).IsUnique();
        b.HasIndex(x => new { x.Status, x.NextRunAt });
    }
}

public class WorkspaceSendBudgetConfiguration : IEntityTypeConfiguration<WorkspaceSendBudget>
{
    public void Configure(EntityTypeBuilder<WorkspaceSendBudget> b)
    {
        b.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.WorkspaceId, x.Day }).IsUnique();
    }
}
