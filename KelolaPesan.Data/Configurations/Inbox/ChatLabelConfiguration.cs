using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Inbox;

public class ChatLabelConfiguration : IEntityTypeConfiguration<ChatLabel>
{
    public void Configure(EntityTypeBuilder<ChatLabel> b)
    {
        b.HasOne<Chat>().WithMany().HasForeignKey(x => x.ChatId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Core.Contacts.Label>().WithMany().HasForeignKey(x => x.LabelId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.ChatId, x.LabelId }).IsUnique();
        b.HasIndex(x => x.LabelId);
    }
}
