using System.Text.Json;

namespace KelolaPesan.Core.Gateways;

/// <summary>
/// Turns a WAHA webhook envelope <c>{id, timestamp, event, session, metadata, me, payload}</c> into
/// a <see cref="GatewayEvent"/>. Verify the signature on the same raw bytes first.
/// </summary>
public static class WahaWebhookParser
{
    /// <summary>
    /// The event, or null for an event kind the product does not handle (e.g. "presence.update").
    /// Throws <see cref="WebhookPayloadException"/> when the body is not a well-formed envelope.
    /// </summary>
    public static GatewayEvent? Parse(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new WebhookPayloadException("The webhook body is not JSON.", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new WebhookPayloadException("The webhook body is not a JSON object.");

            var kind = WahaJson.Str(root, "event") ?? throw new WebhookPayloadException("The webhook has no event.");
            var session = WahaJson.Str(root, "session") ?? throw new WebhookPayloadException("The webhook has no session.");
            var eventId = WahaJson.Str(root, "id");
            var metadata = WahaJson.Prop(root, "metadata") is { } m ? WahaJson.Metadata(m) : WahaJson.NoMetadata;
            var sentAt = WahaJson.Long(root, "timestamp") is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null;

            if (kind is not ("session.status" or "message" or "message.any" or "message.ack"))
                return null;
            var payload = WahaJson.Prop(root, "payload") is { ValueKind: JsonValueKind.Object } p
                ? p
                : throw new WebhookPayloadException($"The {kind} webhook has no payload object.");

            return kind switch
            {
                "session.status" => new SessionStatusChanged(
                    eventId, session, metadata,
                    WahaJson.Status(WahaJson.Str(payload, "status"))
                        ?? throw new WebhookPayloadException($"Unknown session status '{WahaJson.Str(payload, "status")}'."),
                    WahaJson.Account(WahaJson.Prop(root, "me"))),
                "message.ack" => new MessageAcked(
                    eventId, session, metadata,
                    WahaJson.Id(payload) ?? throw new WebhookPayloadException("The ack has no message id."),
                    WahaJson.Str(payload, "from"),
                    WahaJson.Bool(payload, "fromMe"),
                    WahaAck.ToStatus((int)Math.Clamp(WahaJson.Long(payload, "ack") ?? throw new WebhookPayloadException("The ack has no ack value."), -1, 4))),
                _ => new MessageReceived(eventId, session, metadata, WahaJson.Message(payload, sentAt)),
            };
        }
    }
}
