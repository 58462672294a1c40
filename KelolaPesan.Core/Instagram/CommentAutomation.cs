using KelolaPesan.Core.Automation;
using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Instagram;

/// <summary>Comment-to-DM: on a matching comment, send one private reply and optionally a public reply.</summary>
public class CommentAutomation : Entity, IWorkspaceOwned, ISoftDeletable
{
    public const int NameMaxLength = 100;
    public const int ReplyMaxLength = 1000;
    public const int KeywordsMaxLength = 1000;
    public const int MediaIdsMaxLength = 4000;

    /// <summary>Instagram accepts a private reply only within this time of the comment.</summary>
    public static readonly TimeSpan PrivateReplyWindow = TimeSpan.FromDays(7);

    /// <summary>Private replies per hour per account (Meta's limit); past it they wait in the queue.</summary>
    public const int PrivateRepliesPerHour = 750;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public string Name { get; set; } = "";
    public bool IsActive { get; set; } = true;

    /// <summary>Comma separated media ids; empty means every post.</summary>
    public string MediaIds { get; set; } = "";

    /// <summary>
    /// Answers every comment, keywords ignored. An explicit choice: an empty keyword list answers nothing, so a keyword
    /// typed but never confirmed cannot turn into "reply to every commenter".
    /// </summary>
    public bool AllComments { get; set; }

    /// <summary>Comma separated keywords; required unless <see cref="AllComments"/>.</summary>
    public string Keywords { get; set; } = "";
    public KeywordMatchMode MatchMode { get; set; } = KeywordMatchMode.Contains;
    public string PrivateReplyTemplate { get; set; } = "";
    public string? PublicReplyTemplate { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
}

/// <summary>The reply of one automation to one comment: unique per (automation, comment), so it happens once.</summary>
public class CommentReply : Entity, IWorkspaceOwned
{
    /// <summary>A rendered reply: the template's limit plus room for the commenter's name in its placeholders.</summary>
    public const int MessageMaxLength = CommentAutomation.ReplyMaxLength + 500;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid AutomationId { get; set; }
    public string CommentId { get; set; } = "";
    public string PrivateReplyMessage { get; set; } = "";
    public string? ExternalMessageId { get; set; }
    public string? PublicReplyText { get; set; }
    public string? PublicReplyId { get; set; }
    public CommentReplyStatus Status { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>Send attempts so far; a throttled or transient failure waits until <see cref="NextAttemptAt"/>.</summary>
    public int Attempts { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>When the last call to Instagram was made: the hourly limit counts these.</summary>
    public DateTimeOffset? LastAttemptAt { get; set; }
}

public enum CommentReplyStatus { Queued = 0, Sent = 1, Failed = 2, Expired = 3 }
