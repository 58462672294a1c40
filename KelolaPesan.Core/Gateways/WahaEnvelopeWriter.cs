using System.Text.Json.Nodes;
using KelolaPesan.Core.Inbox;

namespace KelolaPesan.Core.Gateways;

/// <summary>
/// Writes a <see cref="GatewayEvent"/> as the WAHA webhook envelope <see cref="WahaWebhookParser"/> reads,
/// so events of in-process gateways (the simulator) are stored and processed exactly like real webhooks.
/// </summary>
public static class WahaEnvelopeWriter
{
    public static byte[] Write(GatewayEvent evt, DateTimeOffset at)
    {
        var (name, payload) = evt switch
        {
            SessionStatusChanged s => ("session.status", new JsonObject { ["status"] = StatusName(s.Status) }),
            MessageReceived m => ("message.any", Message(m.Message)),
            MessageAcked a => ("message.ack", new JsonObject
            {
                ["id"] = a.MessageId, ["from"] = a.ChatId, ["fromMe"] = a.FromMe, ["ack"] = Ack(a.Status), ["ackName"] = a.Status.ToString().ToUpperInvariant(),
            }),
            _ => throw new ArgumentException($"Unknown gateway event {evt.GetType().Name}.", nameof(evt)),
        };
        var metadata = new JsonObject();
        foreach (var (key, value) in evt.Metadata)
            metadata[key] = value;
        var envelope = new JsonObject
        {
            ["id"] = evt.EventId,
            ["timestamp"] = at.ToUnixTimeMilliseconds(),
            ["event"] = name,
            ["session"] = evt.Session,
            ["metadata"] = metadata,
            ["payload"] = payload,
        };
        if (evt is SessionStatusChanged { Me: { } me })
            envelope["me"] = new JsonObject { ["id"] = me.Id, ["pushName"] = me.PushName };
        return System.Text.Encoding.UTF8.GetBytes(envelope.ToJsonString());
    }

    private static JsonObject Message(GatewayChatMessage m)
    {
        var payload = new JsonObject
        {
            ["id"] = m.Id,
            ["from"] = m.From,
            ["to"] = m.To,
            ["fromMe"] = m.FromMe,
            ["body"] = m.Body,
            ["hasMedia"] = m.HasMedia,
            ["replyTo"] = m.ReplyTo,
            ["_data"] = new JsonObject { ["notifyName"] = m.PushName },
        };
        if (m.Timestamp is { } ts)
            payload["timestamp"] = ts.ToUnixTimeSeconds();
        if (m.Status is { } status)
            payload["ack"] = Ack(status);
        if (m.Media is { } media)
            payload["media"] = new JsonObject { ["url"] = media.Url, ["mimetype"] = media.MimeType, ["filename"] = media.FileName };
        return payload;
    }

    private static int Ack(MessageStatus status) => status switch
    {
        MessageStatus.Failed => -1,
        MessageStatus.Pending => 0,
        MessageStatus.Sent => 1,
        MessageStatus.Delivered => 2,
        _ => 3,
    };

    private static string StatusName(GatewaySessionStatus status) => status switch
    {
        GatewaySessionStatus.Starting => "STARTING",
        GatewaySessionStatus.ScanQr => "SCAN_QR_CODE",
        GatewaySessionStatus.Working => "WORKING",
        GatewaySessionStatus.Failed => "FAILED",
        _ => "STOPPED",
    };
}
