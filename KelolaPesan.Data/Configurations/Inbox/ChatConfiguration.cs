using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Inbox;

public class ChatConfiguration : IEntityTypeConfiguration<Chat>
{
    public void Configure(EntityTypeBuilder<Chat> b)
    {
        b.Property(x => x.ExternalChatId).HasMaxLength(Chat.ExternalChatIdMaxLength);
        b.Property(x => x.DisplayName).HasMaxLength(Chat.DisplayNameMaxLength);
        b.Property(x => x.PhoneNumber).HasMaxLength(20);
        b.Property(x => x.LastMessagePreview).HasMaxLength(Chat.PreviewMaxLength);
        b.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.WorkspaceId, x.Channel, x.ExternalChatId }).IsUnique();
        // The chat list: newest activity first, per workspace and per tenant ("all my workspaces"); the Id
        // makes the keyset cursor (LastMessageAt, Id) an index seek with no sort, even on ties.
        b.HasIndex(x => new { x.WorkspaceId, x.LastMessageAt, x.Id });
        b.HasIndex(x => new { x.TenantId, x.LastMessageAt, x.Id });
        b.HasIndex(x => x.ContactId);
    }
}
