using KelolaPesan.Core.Automation;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Automation;

public class BotRuleConfiguration : IEntityTypeConfiguration<BotRule>
{
    public void Configure(EntityTypeBuilder<BotRule> b)
    {
        b.Property(x => x.Name).HasMaxLength(BotRule.NameMaxLength);
        b.Property(x => x.ReplyTemplate).HasMaxLength(BotRule.ReplyMaxLength);
        b.Property(x => x.OutsideHoursReply).HasMaxLength(BotRule.ReplyMaxLength);
        b.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Keywords).WithOne().HasForeignKey(x => x.RuleId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.WorkspaceId, x.Priority });
    }
}

public class BotKeywordConfiguration : IEntityTypeConfiguration<BotKeyword>
{
    public void Configure(EntityTypeBuilder<BotKeyword> b)
    {
        b.Property(x => x.Keyword).HasMaxLength(BotKeyword.KeywordMaxLength);
        b.HasIndex(x => x.RuleId);
    }
}

public class BotReplyConfiguration : IEntityTypeConfiguration<BotReply>
{
    public void Configure(EntityTypeBuilder<BotReply> b)
    {
        b.Property(x => x.RenderedText).HasMaxLength(BotRule.ReplyMaxLength + 500);
        b.Property(x => x.Error).HasMaxLength(1000);
        // Exactly one reply per inbound message, however often the webhook is delivered.
        b.HasIndex(x => x.InboundMessageId).IsUnique();
        b.HasIndex(x => new { x.ChatId, x.CreatedAt });
        b.HasIndex(x => new { x.Status, x.DueAt });
    }
}

public class BotSettingsConfiguration : IEntityTypeConfiguration<BotSettings>
{
    public void Configure(EntityTypeBuilder<BotSettings> b)
    {
        b.Property(x => x.OptOutKeywords).HasMaxLength(BotSettings.OptOutMaxLength);
        b.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.WorkspaceId).IsUnique();
    }
}
