using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Broadcasts;

public class BroadcastRecipientConfiguration : IEntityTypeConfiguration<BroadcastRecipient>
{
    public void Configure(EntityTypeBuilder<BroadcastRecipient> b)
    {
        b.Property(x => x.Phone).HasMaxLength(BroadcastRecipient.PhoneMaxLength);
        b.Property(x => x.Name).HasMaxLength(BroadcastRecipient.NameMaxLength);
        b.Property(x => x.RenderedText).HasMaxLength(Broadcast.MessageMaxLength + 500);
        b.Property(x => x.IdempotencyKey).HasMaxLength(BroadcastRecipient.IdempotencyKeyMaxLength);
        b.Property(x => x.ExternalMessageId).HasMaxLength(200);
        b.Property(x => x.Error).HasMaxLength(1000);
        b.Property(x => x.SkipReason).HasMaxLength(200);
        b.HasOne<Broadcast>().WithMany().HasForeignKey(x => x.BroadcastId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.IdempotencyKey).IsUnique();
        b.HasIndex(x => new { x.BroadcastId, x.Phone }).IsUnique();
        // The dispatcher claims the next pending recipient in order.
        b.HasIndex(x => new { x.BroadcastId, x.Status, x.Sequence });
        // Acks find a recipient by the gateway's message id, which only a sent recipient has: the index leaves out the
        // rest, so materialising 100,000 new recipients does not write 100,000 entries that no lookup can match.
        b.HasIndex(x => new { x.WorkspaceId, x.ExternalMessageId }).HasFilter("\"ExternalMessageId\" IS NOT NULL");
    }
}
