using KelolaPesan.Core.Instagram;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Instagram;

public class InstagramAccountConfiguration : IEntityTypeConfiguration<InstagramAccount>
{
    public void Configure(EntityTypeBuilder<InstagramAccount> b)
    {
        b.Property(x => x.InstagramUserId).HasMaxLength(InstagramAccount.IdMaxLength);
        b.Property(x => x.Username).HasMaxLength(InstagramAccount.UsernameMaxLength);
        b.Property(x => x.DisplayName).HasMaxLength(200);
        b.Property(x => x.ProfilePictureUrl).HasMaxLength(2000);
        b.Property(x => x.AccessTokenEncrypted).HasMaxLength(4000);
        b.Property(x => x.Permissions).HasMaxLength(500);
        b.Property(x => x.StatusReason).HasMaxLength(1000);
        b.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.WorkspaceId).IsUnique();
        b.HasIndex(x => x.InstagramUserId);
    }
}

public class InstagramMediaConfiguration : IEntityTypeConfiguration<InstagramMedia>
{
    public void Configure(EntityTypeBuilder<InstagramMedia> b)
    {
        b.Property(x => x.MediaId).HasMaxLength(InstagramAccount.IdMaxLength);
        b.Property(x => x.Caption).HasMaxLength(2200);
        b.Property(x => x.Permalink).HasMaxLength(2000);
        b.Property(x => x.MediaType).HasMaxLength(40);
        b.Property(x => x.ThumbnailUrl).HasMaxLength(2000);
        b.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.WorkspaceId, x.MediaId }).IsUnique();
    }
}

public class InstagramCommentConfiguration : IEntityTypeConfiguration<InstagramComment>
{
    public void Configure(EntityTypeBuilder<InstagramComment> b)
    {
        b.Property(x => x.CommentId).HasMaxLength(InstagramAccount.IdMaxLength);
        b.Property(x => x.MediaId).HasMaxLength(InstagramAccount.IdMaxLength);
        b.Property(x => x.ParentCommentId).HasMaxLength(InstagramAccount.IdMaxLength);
        b.Property(x => x.CommenterId).HasMaxLength(InstagramAccount.IdMaxLength);
        b.Property(x => x.CommenterUsername).HasMaxLength(InstagramAccount.UsernameMaxLength);
        b.Property(x => x.Text).HasMaxLength(InstagramComment.TextMaxLength);
        b.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        // Meta redelivers: the comment id is unique per workspace.
        b.HasIndex(x => new { x.WorkspaceId, x.CommentId }).IsUnique();
        b.HasIndex(x => new { x.WorkspaceId, x.MediaId, x.CommentedAt });
        // The comments view (latest first) and naming a DM chat after the commenter.
        b.HasIndex(x => new { x.WorkspaceId, x.CommentedAt });
        b.HasIndex(x => new { x.WorkspaceId, x.CommenterId });
    }
}

public class CommentAutomationConfiguration : IEntityTypeConfiguration<CommentAutomation>
{
    public void Configure(EntityTypeBuilder<CommentAutomation> b)
    {
        b.Property(x => x.Name).HasMaxLength(CommentAutomation.NameMaxLength);
        b.Property(x => x.MediaIds).HasMaxLength(CommentAutomation.MediaIdsMaxLength);
        b.Property(x => x.Keywords).HasMaxLength(CommentAutomation.KeywordsMaxLength);
        b.Property(x => x.PrivateReplyTemplate).HasMaxLength(CommentAutomation.ReplyMaxLength);
        b.Property(x => x.PublicReplyTemplate).HasMaxLength(CommentAutomation.ReplyMaxLength);
        b.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.WorkspaceId);
    }
}

public class CommentReplyConfiguration : IEntityTypeConfiguration<CommentReply>
{
    public void Configure(EntityTypeBuilder<CommentReply> b)
    {
        b.Property(x => x.CommentId).HasMaxLength(InstagramAccount.IdMaxLength);
        b.Property(x => x.PrivateReplyMessage).HasMaxLength(CommentReply.MessageMaxLength);
        b.Property(x => x.ExternalMessageId).HasMaxLength(200);
        b.Property(x => x.PublicReplyText).HasMaxLength(CommentReply.MessageMaxLength);
        b.Property(x => x.PublicReplyId).HasMaxLength(InstagramAccount.IdMaxLength);
        b.Property(x => x.Error).HasMaxLength(1000);
        b.HasOne<CommentAutomation>().WithMany().HasForeignKey(x => x.AutomationId).OnDelete(DeleteBehavior.Cascade);
        // One private reply per comment per automation: Meta refuses a second one anyway.
        b.HasIndex(x => new { x.AutomationId, x.CommentId }).IsUnique();
        b.HasIndex(x => new { x.WorkspaceId, x.Status });
        // The queue sweep (status, due time) and the hourly limit (calls per workspace in the last hour).
        b.HasIndex(x => new { x.Status, x.NextAttemptAt });
        b.HasIndex(x => new { x.WorkspaceId, x.LastAttemptAt });
    }
}
