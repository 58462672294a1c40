using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Workspaces;

public class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> b)
    {
        b.Property(x => x.Name).HasMaxLength(Workspace.NameMaxLength);
        b.Property(x => x.Label).HasMaxLength(Workspace.LabelMaxLength);
        b.Property(x => x.PhoneNumber).HasMaxLength(20);
        b.Property(x => x.ExternalSessionId).HasMaxLength(100);
        b.Property(x => x.WebhookSecretEncrypted).HasMaxLength(1000);
        b.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.TenantId);
        b.HasIndex(x => x.ExternalSessionId).IsUnique();
    }
}
