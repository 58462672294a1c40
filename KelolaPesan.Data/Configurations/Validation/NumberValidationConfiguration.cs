using KelolaPesan.Core.Validation;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Validation;

public class NumberValidationJobConfiguration : IEntityTypeConfiguration<NumberValidationJob>
{
    public void Configure(EntityTypeBuilder<NumberValidationJob> b)
    {
        b.ToTable("ValidationJobs");
        b.Property(x => x.Name).HasMaxLength(NumberValidationJob.NameMaxLength);
        b.Property(x => x.Result).HasMaxLength(2000);
        b.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.WorkspaceId, x.CreatedAt });
    }
}

public class NumberValidationEntryConfiguration : IEntityTypeConfiguration<NumberValidationEntry>
{
    public void Configure(EntityTypeBuilder<NumberValidationEntry> b)
    {
        b.ToTable("ValidationEntries");
        b.Property(x => x.RawInput).HasMaxLength(NumberValidationEntry.RawMaxLength);
        b.Property(x => x.NormalizedNumber).HasMaxLength(NumberValidationEntry.NumberMaxLength);
        b.Property(x => x.Error).HasMaxLength(1000);
        b.HasOne<NumberValidationJob>().WithMany().HasForeignKey(x => x.JobId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.JobId, x.Status, x.Sequence });
        b.HasIndex(x => new { x.WorkspaceId, x.NormalizedNumber });
    }
}
