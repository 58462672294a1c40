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
        b.Property(x => x.PhoneNumber).HasMaxLength(Chat.PhoneNumberMaxLength);
        // The expression is per provider (SqliteKelolaDbContext / SqlServerKelolaDbContext); number search reads
        // both columns as index ranges: starts with (PhoneNumber) and ends with (the reversed copy).
        b.Property<string?>(Chat.PhoneNumberReversedColumn).HasMaxLength(Chat.PhoneNumberMaxLength);
        b.Property(x => x.LastMessagePreview).HasMaxLength(Chat.PreviewMaxLength);
        b.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.WorkspaceId, x.Channel, x.ExternalChatId }).IsUnique();
        // The chat list: newest activity first, per workspace and per tenant ("all my workspaces"); the Id
        // makes the keyset cursor (LastMessageAt, Id) an index seek with no sort, even on ties.
        b.HasIndex(x => new { x.WorkspaceId, x.LastMessageAt, x.Id });
        b.HasIndex(x => new { x.TenantId, x.LastMessageAt, x.Id });
        b.HasIndex(x => x.ContactId);
        // Number search: one workspace (or a list of them) and a tenant-wide manager's view. The tenant query
        // filter is an OR with the system flag, so only the list's own explicit WorkspaceId/TenantId can seek.
        b.HasIndex(x => new { x.WorkspaceId, x.PhoneNumber });
        b.HasIndex(nameof(Chat.WorkspaceId), Chat.PhoneNumberReversedColumn);
        b.HasIndex(x => new { x.TenantId, x.PhoneNumber });
        b.HasIndex(nameof(Chat.TenantId), Chat.PhoneNumberReversedColumn);
    }
}
