using System.Text.Json;

namespace KelolaPesan.Core.Gateways;

/// <summary>Reads WAHA's JSON shapes, shared by the webhook parser and the HTTP adapter.</summary>
internal static class WahaJson
{
    public static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    public static JsonElement? Prop(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? value
            : null;

    /// <summary>A string property, without U+0000 and the other C0 controls but tab and line breaks (<see cref="Common.NulText"/>).</summary>
    public static string? Str(JsonElement element, string name) =>
        Prop(element, name) is { ValueKind: JsonValueKind.String } value ? Common.NulText.Strip(value.GetString()) : null;

    public static bool Bool(JsonElement element, string name) =>
        Prop(element, name) is { ValueKind: JsonValueKind.True };

    public static long? Long(JsonElement element, string name) =>
        Prop(element, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number) ? number : null;

    /// <summary>Message ids are strings on most engines and objects with "_serialized" on some.</summary>
    public static string? Id(JsonElement element, string name = "id") => Prop(element, name) switch
    {
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        { ValueKind: JsonValueKind.Object } value => Str(value, "_serialized") ?? Str(value, "id"),
        _ => null,
    };

    public static GatewaySessionStatus? Status(string? wahaStatus) => wahaStatus?.ToUpperInvariant() switch
    {
        "STOPPED" => GatewaySessionStatus.Stopped,
        "STARTING" => GatewaySessionStatus.Starting,
        "SCAN_QR_CODE" => GatewaySessionStatus.ScanQr,
        "WORKING" => GatewaySessionStatus.Working,
        "FAILED" => GatewaySessionStatus.Failed,
        _ => null,
    };

    public static IReadOnlyDictionary<string, string> Metadata(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            return NoMetadata;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
                continue;
            metadata[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
        }
        return metadata;
    }

    public static GatewayAccount? Account(JsonElement? me)
    {
        if (me is not { ValueKind: JsonValueKind.Object } value || Str(value, "id") is not { } id)
            return null;
        return new GatewayAccount(id, Name(Str(value, "pushName")), ChatIds.ToPhone(id));
    }

    public static GatewayChatMessage Message(JsonElement payload, DateTimeOffset? fallbackTimestamp = null)
    {
        var id = Id(payload) ?? throw new WebhookPayloadException("A message has no id.");
        var data = Prop(payload, "_data") ?? default;
        var media = Prop(payload, "media") is { ValueKind: JsonValueKind.Object } m
            ? new GatewayMedia(Str(m, "url"), Str(m, "mimetype"), Str(m, "filename"))
            : null;
        var replyTo = Prop(payload, "replyTo") switch
        {
            { ValueKind: JsonValueKind.String } value => value.GetString(),
            { ValueKind: JsonValueKind.Object } value => Id(value),
            _ => null,
        };
        var timestamp = Long(payload, "timestamp") is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : fallbackTimestamp;
        var ack = Long(payload, "ack");

        return new GatewayChatMessage(
            id,
            timestamp,
            Str(payload, "from") ?? "",
            Str(payload, "to") ?? "",
            Bool(payload, "fromMe"),
            Str(payload, "body"),
            Bool(payload, "hasMedia") || media is not null,
            media,
            ack is { } a ? WahaAck.ToStatus((int)Math.Clamp(a, -1, 4)) : null,
            replyTo,
            Name(Str(data, "notifyName") ?? Str(data, "pushName") ?? Str(payload, "notifyName") ?? Str(payload, "pushName")));
    }

    /// <summary>A push name on one line without bidi overrides (<see cref="Common.NulText.Name"/>); null when nothing is left.</summary>
    private static string? Name(string? pushName) => Common.NulText.Name(pushName) is { Length: > 0 } name ? name : null;
}
