using KelolaPesan.Core.ExternalApi;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.ExternalApi;

public class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.Property(x => x.Name).HasMaxLength(ApiKey.NameMaxLength);
        b.Property(x => x.Prefix).HasMaxLength(ApiKey.PrefixLength);
        b.Property(x => x.SecretHash).HasMaxLength(32);
        b.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.Prefix).IsUnique();
        b.HasIndex(x => x.TenantId);
    }
}

public class ApiIdempotencyRecordConfiguration : IEntityTypeConfiguration<ApiIdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<ApiIdempotencyRecord> b)
    {
        b.Property(x => x.Key).HasMaxLength(ApiIdempotencyRecord.KeyMaxLength);
        b.Property(x => x.Fingerprint).HasMaxLength(ApiIdempotencyRecord.FingerprintLength);
        b.HasIndex(x => new { x.ApiKeyId, x.Key }).IsUnique();
    }
}

public class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> b)
    {
        b.Property(x => x.Url).HasMaxLength(WebhookSubscription.UrlMaxLength);
        b.Property(x => x.SecretEncrypted).HasMaxLength(1000);
        b.Property(x => x.Events).HasMaxLength(500);
        b.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.TenantId);
    }
}

public class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.Property(x => x.Event).HasMaxLength(100);
        b.Property(x => x.Error).HasMaxLength(1000);
        b.HasOne<WebhookSubscription>().WithMany().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.Status, x.NextAttemptAt });
        b.HasIndex(x => new { x.SubscriptionId, x.CreatedAt });
    }
}
