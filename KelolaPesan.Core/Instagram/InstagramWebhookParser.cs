using System.Text.Json;
using KelolaPesan.Core.Gateways;

namespace KelolaPesan.Core.Instagram;

/// <summary>One item of an Instagram webhook envelope; one POST can carry many entries and items.</summary>
public abstract record InstagramWebhookItem(string AccountId);

/// <param name="AccountId">The envelope's <c>entry.id</c>: the Instagram user id of the connected account.</param>
/// <param name="Payload">The raw JSON of the change, kept with the comment.</param>
public sealed record InstagramCommentItem(
    string AccountId, string CommentId, string Text, string FromId, string? FromUsername, string MediaId,
    string? ParentId, DateTimeOffset? Time, string Payload) : InstagramWebhookItem(AccountId);

/// <param name="Text">The text, or a short description of the attachments when there is none.</param>
public sealed record InstagramDirectItem(
    string AccountId, string SenderId, string RecipientId, string MessageId, string Text, bool IsEcho,
    DateTimeOffset? Time) : InstagramWebhookItem(AccountId);

/// <summary>
/// Reads the envelope <c>{object, entry: [{id, time, changes | messaging}]}</c>. Items it does not handle
/// (other fields, reactions, reads) are left out; a body that is not such an envelope throws
/// <see cref="WebhookPayloadException"/> (kept with its reason, not retried).
/// </summary>
public static class InstagramWebhookParser
{
    public static IReadOnlyList<InstagramWebhookItem> Parse(string body)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new WebhookPayloadException("The Instagram webhook body is not JSON: " + ex.Message);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
                throw new WebhookPayloadException("The Instagram webhook body has no entry list.");
            var items = new List<InstagramWebhookItem>();
            foreach (var entry in entries.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object || Id(entry, "id") is not { Length: > 0 } accountId)
                    continue;
                var entryTime = Time(entry, "time");
                if (entry.TryGetProperty("changes", out var changes) && changes.ValueKind == JsonValueKind.Array)
                {
                    foreach (var change in changes.EnumerateArray())
                    {
                        if (Comment(accountId, entryTime, change) is { } comment)
                            items.Add(comment);
                    }
                }
                if (entry.TryGetProperty("messaging", out var messaging) && messaging.ValueKind == JsonValueKind.Array)
                {
                    foreach (var m in messaging.EnumerateArray())
                    {
                        if (Direct(accountId, m) is { } direct)
                            items.Add(direct);
                    }
                }
            }
            return items;
        }
    }

    private static InstagramCommentItem? Comment(string accountId, DateTimeOffset? entryTime, JsonElement change)
    {
        if (change.ValueKind != JsonValueKind.Object || Str(change, "field") != "comments"
            || !change.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object)
            return null;
        if (Id(value, "id") is not { Length: > 0 } commentId)
            return null;
        var from = value.TryGetProperty("from", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
        var media = value.TryGetProperty("media", out var md) && md.ValueKind == JsonValueKind.Object ? md : default;
        return new InstagramCommentItem(accountId, commentId, Str(value, "text") ?? "",
            from.ValueKind == JsonValueKind.Object ? Id(from, "id") ?? "" : "",
            from.ValueKind == JsonValueKind.Object && Common.NulText.Name(Str(from, "username")) is { Length: > 0 } username ? username : null,
            media.ValueKind == JsonValueKind.Object ? Id(media, "id") ?? "" : "",
            Id(value, "parent_id"), Time(value, "timestamp") ?? entryTime, change.GetRawText());
    }

    private static InstagramDirectItem? Direct(string accountId, JsonElement m)
    {
        if (m.ValueKind != JsonValueKind.Object || !m.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
            return null;
        if (Id(message, "mid") is not { Length: > 0 } mid)
            return null;
        var sender = m.TryGetProperty("sender", out var s) && s.ValueKind == JsonValueKind.Object ? Id(s, "id") : null;
        var recipient = m.TryGetProperty("recipient", out var r) && r.ValueKind == JsonValueKind.Object ? Id(r, "id") : null;
        var text = Str(message, "text");
        if (string.IsNullOrEmpty(text) && message.TryGetProperty("attachments", out var attachments) && attachments.ValueKind == JsonValueKind.Array)
        {
            var kinds = attachments.EnumerateArray().Select(a => a.ValueKind == JsonValueKind.Object ? Str(a, "type") : null).Where(k => k is not null);
            text = "📎 " + string.Join(", ", kinds.DefaultIfEmpty("attachment"));
        }
        var isEcho = message.TryGetProperty("is_echo", out var echo) && echo.ValueKind == JsonValueKind.True;
        return new InstagramDirectItem(accountId, sender ?? "", recipient ?? "", mid, text ?? "", isEcho, Time(m, "timestamp"));
    }

    /// <summary>Ids are 17-digit numbers: kept as text whether Meta sends them as strings or numbers.</summary>
    private static string? Id(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number => v.GetRawText(),
        _ => null,
    } : null;

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? Common.NulText.Strip(v.GetString()) : null;

    /// <summary>Unix time in seconds or milliseconds (Meta uses both), or an ISO 8601 string.</summary>
    private static DateTimeOffset? Time(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v))
            return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n > 0)
            return n > 100_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(n) : DateTimeOffset.FromUnixTimeSeconds(n);
        if (v.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(v.GetString(), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
            return parsed;
        return null;
    }
}
