using KelolaPesan.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Webhooks;

public class InboundWebhookEventConfiguration : IEntityTypeConfiguration<InboundWebhookEvent>
{
    public void Configure(EntityTypeBuilder<InboundWebhookEvent> b)
    {
        b.Property(x => x.EventKey).HasMaxLength(InboundWebhookEvent.EventKeyMaxLength);
        b.Property(x => x.EventType).HasMaxLength(50);
        b.Property(x => x.Error).HasMaxLength(2000);
        // A redelivered event (same id) is stored once and so processed once.
        b.HasIndex(x => new { x.Source, x.EventKey }).IsUnique();
        b.HasIndex(x => new { x.ProcessedAt, x.ReceivedAt });
    }
}
