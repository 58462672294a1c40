using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Webhooks;

/// <summary>
/// A verified webhook delivery, stored raw before it is answered and processed afterwards from this row,
/// so a crash after the answer loses nothing. Unique by (source, event key) against redelivery.
/// </summary>
public class InboundWebhookEvent : Entity
{
    public const int EventKeyMaxLength = 200;

    public WebhookSource Source { get; set; }
    public string EventKey { get; set; } = "";
    public string EventType { get; set; } = "";
    public Guid? TenantId { get; set; }
    public Guid? WorkspaceId { get; set; }
    public string Payload { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
    public int Attempts { get; set; }
    public string? Error { get; set; }

    /// <summary>
    /// The node processing this event holds it until then: taken by a conditional UPDATE together with <see cref="ClaimToken"/>,
    /// so two nodes' sweeps never apply the same event; a node that died leaves it to the next sweep after the lease.
    /// </summary>
    public DateTimeOffset? ClaimedUntil { get; set; }

    public Guid? ClaimToken { get; set; }
}

public enum WebhookSource { WhatsApp = 0, Instagram = 1 }
