using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Automation;

/// <summary>
/// The bot's reply to one inbound message. Unique per inbound message, so a webhook delivered
/// three times still gets exactly one reply.
/// </summary>
public class BotReply : Entity, IWorkspaceOwned
{
    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid InboundMessageId { get; set; }
    public Guid ChatId { get; set; }
    public Guid? RuleId { get; set; }
    public string RenderedText { get; set; } = "";

    /// <summary>The rule's attachment at the time of the decision, sent with the text as its caption (none for an outside-hours reply).</summary>
    public Guid? AttachmentId { get; set; }
    public BotReplyStatus Status { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public Guid? OutboundMessageId { get; set; }
    public string? Error { get; set; }
}

public enum BotReplyStatus { Scheduled = 0, Sent = 1, Failed = 2, Suppressed = 3 }
