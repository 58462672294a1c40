using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Webhooks;

/// <summary>
/// The receiving half of the WhatsApp webhook: verify the signature on the raw bytes, then store the raw
/// event once (unique by source and event key) so it can be answered at once and processed afterwards.
/// Simulator events take the same <see cref="StoreAsync"/> path.
/// </summary>
public sealed class WhatsAppWebhookIngest(IKelolaDbFactory dbFactory, ISecretProtector secrets, WebhookKeyCache keys, WebhookEventWriter writer,
    WebhookReplayOptions replay, TimeProvider clock)
{
    /// <summary>
    /// Verifies before anything is parsed or stored: an unknown workspace or a bad signature stores nothing; a signed event
    /// from outside the replay window (<see cref="IsStale"/>) stores nothing either.
    /// </summary>
    /// <param name="timestampHeader">The <c>X-Webhook-Timestamp</c> header, used only when the body carries no timestamp.</param>
    public async Task<WebhookIngestResult> VerifyAndStoreAsync(Guid workspaceId, byte[] body, string? signature, string? algorithm, string? timestampHeader, CancellationToken ct = default)
    {
        var key = await keys.GetAsync(workspaceId, LoadKeyAsync);
        if (key is null || !WebhookSignature.Verify(body, key.HmacKey, signature, algorithm))
            return WebhookIngestResult.Rejected;
        if (IsStale(body, timestampHeader))
            return WebhookIngestResult.Stale;
        return await StoreAsync(key.TenantId, workspaceId, body, ct);
    }

    /// <summary>
    /// True when the event was sent longer ago (or further ahead) than the replay window: a captured delivery replayed
    /// after its de-duplication key has been purged must not count again. The envelope's own <c>timestamp</c> (ms) is
    /// covered by the HMAC; the <c>X-Webhook-Timestamp</c> header is not, so it only stands in for builds whose envelope
    /// has none (checked after the HMAC passed). With neither, the event cannot be dated and is taken.
    /// </summary>
    public bool IsStale(byte[] body, string? timestampHeader)
    {
        var sent = EnvelopeTime(body) ?? HeaderTime(timestampHeader);
        return sent is { } at && (clock.GetUtcNow() - at).Duration() > replay.Window;
    }

    private static DateTimeOffset? EnvelopeTime(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("timestamp", out var ts)
                && ts.ValueKind == JsonValueKind.Number && ts.TryGetInt64(out var ms) ? FromUnix(ms) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static DateTimeOffset? HeaderTime(string? header) =>
        long.TryParse(header, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) ? FromUnix(value) : null;

    /// <summary>Milliseconds as WAHA sends them; a value too small to be milliseconds of this century is read as seconds.</summary>
    private static DateTimeOffset? FromUnix(long value)
    {
        try
        {
            return value < 100_000_000_000 ? DateTimeOffset.FromUnixTimeSeconds(value) : DateTimeOffset.FromUnixTimeMilliseconds(value);
        }
        catch (ArgumentOutOfRangeException)
        {
            return DateTimeOffset.MinValue;
        }
    }

    /// <summary>Stores a trusted event; a second delivery of the same event stores nothing.</summary>
    public Task<WebhookIngestResult> StoreAsync(Guid tenantId, Guid workspaceId, byte[] body, CancellationToken ct = default)
    {
        var (eventKey, eventType) = KeyOf(workspaceId, body);
        return writer.WriteAsync(new InboundWebhookEvent
        {
            Source = WebhookSource.WhatsApp, EventKey = eventKey, EventType = eventType,
            TenantId = tenantId, WorkspaceId = workspaceId,
            Payload = Encoding.UTF8.GetString(body), ReceivedAt = clock.GetUtcNow(),
        }).WaitAsync(ct);
    }

    /// <summary>
    /// The de-duplication key: the envelope's event id; for builds that send none, the event type with the
    /// message id (and ack), else a hash of the body. Prefixed by the workspace, so ids never clash across sessions.
    /// </summary>
    public static (string Key, string Type) KeyOf(Guid workspaceId, byte[] body)
    {
        string? id = null, type = null, messageId = null, ack = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                id = Str(root, "id");
                type = Str(root, "event");
                if (root.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.Object)
                {
                    messageId = payload.TryGetProperty("id", out var mid) ? mid.ValueKind switch
                    {
                        JsonValueKind.String => mid.GetString(),
                        JsonValueKind.Object => Str(mid, "_serialized"),
                        _ => null,
                    } : null;
                    ack = payload.TryGetProperty("ack", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetRawText() : null;
                }
            }
        }
        catch (JsonException)
        {
            // Stored anyway under its hash: processing records why it could not be read.
        }

        type = Truncate(type ?? "unknown", 50);
        var key = id is { Length: > 0 } ? $"{workspaceId:N}:{id}"
            : messageId is { Length: > 0 } && type.StartsWith("message", StringComparison.Ordinal) ? $"{workspaceId:N}:{type}:{messageId}:{ack}"
            : $"{workspaceId:N}:sha256:{Convert.ToHexStringLower(SHA256.HashData(body))}";
        return (Truncate(key, InboundWebhookEvent.EventKeyMaxLength), type);
    }

    private async Task<WorkspaceKey?> LoadKeyAsync(Guid workspaceId)
    {
        await using var db = dbFactory.CreateSystem();
        var row = await db.Workspaces.AsNoTracking()
            .Where(w => w.Id == workspaceId && w.WebhookSecretEncrypted != null)
            .Select(w => new { w.TenantId, w.WebhookSecretEncrypted })
            .FirstOrDefaultAsync();
        if (row is null || secrets.Unprotect(WorkspaceService.WebhookSecretPurpose, row.WebhookSecretEncrypted!) is not { } key)
            return null;
        return new WorkspaceKey(row.TenantId, workspaceId, key);
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}

public sealed record WebhookIngestResult(WebhookIngestOutcome Outcome, Guid? EventId = null)
{
    public static readonly WebhookIngestResult Rejected = new(WebhookIngestOutcome.Rejected);
    public static readonly WebhookIngestResult Duplicate = new(WebhookIngestOutcome.Duplicate);
    public static readonly WebhookIngestResult Stale = new(WebhookIngestOutcome.Stale);

    public static WebhookIngestResult Stored(Guid id) => new(WebhookIngestOutcome.Stored, id);
}

public enum WebhookIngestOutcome { Rejected, Duplicate, Stored, Stale }

/// <summary>How old a signed WhatsApp webhook may be (<c>Webhooks:WhatsApp:ReplayWindowMinutes</c>, default 10).</summary>
public sealed class WebhookReplayOptions
{
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);
}
