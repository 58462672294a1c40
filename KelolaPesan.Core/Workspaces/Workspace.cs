using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Workspaces;

/// <summary>One WhatsApp number of a tenant (and optionally one Instagram account).</summary>
public class Workspace : Entity, ITenantOwned, ISoftDeletable
{
    public const int NameMaxLength = 100;
    public const int LabelMaxLength = 50;

    public Guid TenantId { get; set; }
    public string Name { get; set; } = "";
    public string? Label { get; set; }

    /// <summary>The connected WhatsApp number (E.164), known once the session is Connected.</summary>
    public string? PhoneNumber { get; set; }

    public ConnectionStatus ConnectionStatus { get; set; } = ConnectionStatus.Disconnected;

    /// <summary>The gateway's session name.</summary>
    public string? ExternalSessionId { get; set; }

    public DateTimeOffset? ConnectedAt { get; set; }
    public DateTimeOffset? StatusChangedAt { get; set; }

    /// <summary>What the gateway reported about the session (JSON: push name, me id, engine).</summary>
    public string? SessionMetadata { get; set; }

    /// <summary>Per-workspace webhook HMAC key, encrypted with Data Protection.</summary>
    public string? WebhookSecretEncrypted { get; set; }

    /// <summary>Stored counter: chats with unread messages, updated with each message.</summary>
    public int UnreadChats { get; set; }

    /// <summary>Stored counter: unread messages over all chats.</summary>
    public int UnreadMessages { get; set; }

    public int RestartsToday { get; set; }

    /// <summary>The session monitor's consecutive "the gateway does not know this session" answers, and when it asks next (backing off).</summary>
    public int UnknownSessionChecks { get; set; }
    public DateTimeOffset? MonitorNextCheckAt { get; set; }

    /// <summary>Set when the monitor gave up on a session the gateway does not know; cleared by connecting again or any status from the gateway.</summary>
    public DateTimeOffset? MonitorStoppedAt { get; set; }
    public DateOnly? RestartsDay { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
}

public enum ConnectionStatus { Disconnected = 0, Starting = 1, ScanQr = 2, Connected = 3, Failed = 4, Stopped = 5 }
