using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Inbox;

/// <summary>One message of a chat, inbound or outbound, or an internal note visible only to the team.</summary>
public class Message : Entity, IWorkspaceOwned
{
    public const int ExternalIdMaxLength = 200;
    public const int SenderNameMaxLength = 200;
    public const int BodyMaxLength = 65536;
    public const int ErrorMaxLength = 1000;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid ChatId { get; set; }

    /// <summary>The gateway's message id; unique per workspace, which de-duplicates webhook redeliveries.</summary>
    public string? ExternalMessageId { get; set; }
    public MessageDirection Direction { get; set; }
    public MessageOrigin Origin { get; set; }
    public string? SenderName { get; set; }
    public string? SenderNumber { get; set; }
    public string Body { get; set; } = "";
    public MessageStatus Status { get; set; }
    public string? Error { get; set; }

    /// <summary>When the message was sent or received (the gateway's time when it gave one).</summary>
    public DateTimeOffset SentAt { get; set; }
    public Guid? SentByUserId { get; set; }
    public Guid? AttachmentId { get; set; }
    public string? ReplyToExternalId { get; set; }
}

public enum MessageDirection { Inbound = 0, Outbound = 1, Note = 2 }

/// <summary>Who produced an outbound message: the inbox shows bot and broadcast messages as such.</summary>
public enum MessageOrigin { Customer = 0, Agent = 1, Phone = 2, Bot = 3, Broadcast = 4, Sequence = 5, Api = 6 }
