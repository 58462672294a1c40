using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Admin;

/// <summary>A message the platform sends to tenant owners through the admin connection.</summary>
public class NotificationTemplate : Entity
{
    public const int BodyMaxLength = 2000;

    public NotificationEvent Event { get; set; }
    public string Body { get; set; } = "";
    public bool IsActive { get; set; } = true;

    /// <summary>For <see cref="NotificationEvent.LicenceExpiring"/>: days before expiry.</summary>
    public int DaysBefore { get; set; } = 7;
}

public enum NotificationEvent
{
    LicenceExpiring = 0, LicenceExpired = 1, WorkspaceDisconnected = 2,
    BroadcastFinished = 3, BroadcastPaused = 4, DailyCapReached = 5,
    InstagramDisconnected = 6,
}

/// <summary>One notification sent; unique by <see cref="EventKey"/> so each event is notified once.</summary>
public class NotificationLog : Entity
{
    public const int EventKeyMaxLength = 200;

    public Guid? TenantId { get; set; }
    public NotificationEvent Event { get; set; }
    public string EventKey { get; set; } = "";
    public string Recipient { get; set; } = "";
    public string Body { get; set; } = "";
    public bool Succeeded { get; set; }
    public string? Error { get; set; }
}
