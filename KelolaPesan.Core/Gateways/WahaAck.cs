using KelolaPesan.Core.Inbox;

namespace KelolaPesan.Core.Gateways;

/// <summary>WAHA's ack numbers: -1 ERROR, 0 PENDING, 1 SERVER, 2 DEVICE, 3 READ, 4 PLAYED.</summary>
public static class WahaAck
{
    /// <summary>Maps an ack onto the internal scale; values outside -1..4 clamp to the nearest end.</summary>
    public static MessageStatus ToStatus(int ack) => ack switch
    {
        < 0 => MessageStatus.Failed,
        0 => MessageStatus.Pending,
        1 => MessageStatus.Sent,
        2 => MessageStatus.Delivered,
        _ => MessageStatus.Read,
    };
}
