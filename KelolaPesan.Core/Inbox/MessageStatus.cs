namespace KelolaPesan.Core.Inbox;

/// <summary>
/// The one internal status scale every gateway's acks map onto. Values are ordered so that
/// a status only ever moves forward (Pending &lt; Sent &lt; Delivered &lt; Read); Failed is terminal.
/// </summary>
public enum MessageStatus
{
    Pending = 0,
    Sent = 1,
    Delivered = 2,
    Read = 3,
    Failed = 9,
}

public static class MessageStatusRules
{
    /// <summary>True when moving from <paramref name="current"/> to <paramref name="next"/> is a forward move.</summary>
    public static bool CanMove(MessageStatus current, MessageStatus next) =>
        current != MessageStatus.Failed && current != next && (next == MessageStatus.Failed ? current < MessageStatus.Delivered : next > current);
}
