using KelolaPesan.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Audit;

public class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(x => x.Action).HasMaxLength(AuditEntry.ActionMaxLength);
        b.Property(x => x.ActorName).HasMaxLength(AuditEntry.ActorMaxLength);
        b.Property(x => x.TargetType).HasMaxLength(100);
        b.Property(x => x.TargetId).HasMaxLength(100);
        b.Property(x => x.Details).HasMaxLength(AuditEntry.DetailsMaxLength);
        b.Property(x => x.IpAddress).HasMaxLength(64);
        b.HasIndex(x => new { x.TenantId, x.At });
        b.HasIndex(x => new { x.Action, x.At });
    }
}
