using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Inbox;

public class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> b)
    {
        b.Property(x => x.ExternalMessageId).HasMaxLength(Message.ExternalIdMaxLength);
        b.Property(x => x.SenderName).HasMaxLength(Message.SenderNameMaxLength);
        b.Property(x => x.SenderNumber).HasMaxLength(40);
        b.Property(x => x.Body).HasMaxLength(Message.BodyMaxLength);
        b.Property(x => x.Error).HasMaxLength(Message.ErrorMaxLength);
        b.Property(x => x.ReplyToExternalId).HasMaxLength(Message.ExternalIdMaxLength);
        b.HasOne<Chat>().WithMany().HasForeignKey(x => x.ChatId).OnDelete(DeleteBehavior.Cascade);
        // Webhook redeliveries and acks find a message by the gateway's id; unique so a duplicate cannot be stored.
        b.HasIndex(x => new { x.WorkspaceId, x.ExternalMessageId }).IsUnique();
        // Conversation history: cursor paging by (time, id) within a chat.
        b.HasIndex(x => new { x.ChatId, x.SentAt, x.Id });
        // The dashboard's messages per day: a range of one workspace's recent messages.
        b.HasIndex(x => new { x.WorkspaceId, x.SentAt });
        // An attachment download finds the chat that carries the file (attachments follow chat visibility).
        b.HasIndex(x => x.AttachmentId);
    }
}
