using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Inbox;

/// <summary>A conversation with one customer on one channel of a workspace.</summary>
public class Chat : Entity, IWorkspaceOwned, ISoftDeletable
{
    public const int ExternalChatIdMaxLength = 100;
    public const int DisplayNameMaxLength = 200;
    public const int PreviewMaxLength = 200;
    public const int PhoneNumberMaxLength = 20;

    /// <summary>
    /// Shadow column computed by the database: <see cref="PhoneNumber"/> reversed, indexed so "ends with these
    /// digits" is an index range like "starts with" (docs/adr/0006-inbox-search.md).
    /// </summary>
    public const string PhoneNumberReversedColumn = "PhoneNumberReversed";

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Channel Channel { get; set; } = Channel.WhatsApp;

    /// <summary>The gateway's chat id (<c>62812...@c.us</c>) or the Instagram-scoped user id.</summary>
    public string ExternalChatId { get; set; } = "";
    public Guid? ContactId { get; set; }
    public string DisplayName { get; set; } = "";
    public string? PhoneNumber { get; set; }
    public string? LastMessagePreview { get; set; }
    public DateTimeOffset LastMessageAt { get; set; }

    /// <summary>Stored counter, bumped with each inbound message and cleared when read.</summary>
    public int UnreadCount { get; set; }
    public Guid? AssignedUserId { get; set; }
    public bool BotPaused { get; set; }
    public DateTimeOffset? LastAgentReplyAt { get; set; }

    /// <summary>Instagram: DMs may only be answered within 24 h of the customer's last message.</summary>
    public DateTimeOffset? LastInboundAt { get; set; }

    /// <summary>
    /// Made by an outgoing broadcast or sequence message and nothing else yet: kept out of every chat list (and so of the
    /// agents' queues) until the customer replies or someone writes in it (docs/adr/0021).
    /// </summary>
    public bool BroadcastOnly { get; set; }

    /// <summary>
    /// Set when someone marks the conversation done: it leaves the open chat list (the team's queue) for the resolved
    /// one until the customer writes again or someone replies in it, which opens it again.
    /// </summary>
    public DateTimeOffset? ResolvedAt { get; set; }
    public Guid? ResolvedByUserId { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
}

public enum Channel { WhatsApp = 0, Instagram = 1 }

public class ChatLabel : Entity, IWorkspaceOwned
{
    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid ChatId { get; set; }
    public Guid LabelId { get; set; }
}
