using KelolaPesan.Core.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Privacy;

public class DataExportConfiguration : IEntityTypeConfiguration<DataExport>
{
    public void Configure(EntityTypeBuilder<DataExport> b)
    {
        b.Property(x => x.StorageKey).HasMaxLength(200);
        b.Property(x => x.Error).HasMaxLength(1000);
        b.HasIndex(x => new { x.TenantId, x.CreatedAt });
    }
}

public class DeletionRequestConfiguration : IEntityTypeConfiguration<DeletionRequest>
{
    public void Configure(EntityTypeBuilder<DeletionRequest> b)
    {
        b.Property(x => x.ConfirmationCode).HasMaxLength(DeletionRequest.CodeMaxLength);
        b.Property(x => x.TargetId).HasMaxLength(100);
        b.Property(x => x.RequestedBy).HasMaxLength(200);
        b.Property(x => x.Error).HasMaxLength(1000);
        b.HasIndex(x => x.ConfirmationCode).IsUnique();
    }
}
