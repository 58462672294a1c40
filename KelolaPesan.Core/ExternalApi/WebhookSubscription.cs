using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.ExternalApi;

/// <summary>A tenant's outgoing webhook: events are POSTed to <see cref="Url"/> signed with HMAC-SHA256.</summary>
public class WebhookSubscription : Entity, ITenantOwned
{
    public const int UrlMaxLength = 2000;

    public Guid TenantId { get; set; }
    public string Url { get; set; } = "";
    public string SecretEncrypted { get; set; } = "";

    /// <summary>Comma separated event names (message.received, message.status, broadcast.finished, session.status).</summary>
    public string Events { get; set; } = "";
    public bool IsActive { get; set; } = true;
}

public class WebhookDelivery : Entity, ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid SubscriptionId { get; set; }
    public string Event { get; set; } = "";
    public string Payload { get; set; } = "";
    public WebhookDeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public int? ResponseCode { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

public enum WebhookDeliveryStatus { Pending = 0, Delivered = 1, Failed = 2 }
