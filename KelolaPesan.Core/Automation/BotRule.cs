using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Automation;

/// <summary>An auto-reply rule of a workspace: keyword triggers, hours, and the reply to send.</summary>
public class BotRule : Entity, IWorkspaceOwned, ISoftDeletable
{
    public const int NameMaxLength = 100;
    public const int ReplyMaxLength = 4096;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public string Name { get; set; } = "";
    public BotTrigger Trigger { get; set; }
    public KeywordMatchMode MatchMode { get; set; }
    public int Priority { get; set; }
    public bool IsActive { get; set; } = true;
    public string ReplyTemplate { get; set; } = "";
    public Guid? AttachmentId { get; set; }
    public int DelaySeconds { get; set; }

    /// <summary>Days the rule is active, as flags; null hours mean all day.</summary>
    public ActiveDays ActiveDays { get; set; } = ActiveDays.All;
    public TimeOnly? ActiveFrom { get; set; }
    public TimeOnly? ActiveTo { get; set; }
    public string? OutsideHoursReply { get; set; }
    public Guid? AddLabelId { get; set; }
    public Guid? AddToListId { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }

    public List<BotKeyword> Keywords { get; set; } = [];
}

public enum BotTrigger { Keyword = 0, Welcome = 1, Fallback = 2 }

public enum KeywordMatchMode { Exact = 0, Contains = 1, StartsWith = 2, Regex = 3 }

[Flags]
public enum ActiveDays
{
    None = 0, Monday = 1, Tuesday = 2, Wednesday = 4, Thursday = 8, Friday = 16, Saturday = 32, Sunday = 64,
    All = Monday | Tuesday | Wednesday | Thursday | Friday | Saturday | Sunday,
}

public class BotKeyword : Entity, IWorkspaceOwned
{
    public const int KeywordMaxLength = 200;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid RuleId { get; set; }
    public string Keyword { get; set; } = "";
}
