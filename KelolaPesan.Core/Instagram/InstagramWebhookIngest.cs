using System.Security.Cryptography;
using System.Text;
using KelolaPesan.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace KelolaPesan.Core.Instagram;

/// <summary>
/// The receiving half of <c>/webhooks/instagram</c>: the handshake, and the signature checked on the raw bytes
/// before anything is parsed or stored; a verified body is stored raw once (keyed by its hash, since Meta's
/// envelope has no delivery id) and processed afterwards from the row.
/// </summary>
public sealed class InstagramWebhookIngest(IOptions<InstagramOptions> options, WebhookEventWriter writer, TimeProvider clock)
{
    /// <summary>The GET handshake: the challenge when the mode and verify token are right, else null (403).</summary>
    public string? Handshake(string? mode, string? verifyToken, string? challenge)
    {
        var expected = options.Value.VerifyToken;
        if (mode != "subscribe" || string.IsNullOrEmpty(expected) || verifyToken is null || challenge is null)
            return null;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(verifyToken), Encoding.UTF8.GetBytes(expected)) ? challenge : null;
    }

    public async Task<WebhookIngestResult> VerifyAndStoreAsync(byte[] body, string? signature, CancellationToken ct = default)
    {
        if (!InstagramSignature.Verify(body, options.Value.AppSecret, signature))
            return WebhookIngestResult.Rejected;
        return await writer.WriteAsync(new InboundWebhookEvent
        {
            Source = WebhookSource.Instagram, EventKey = "ig:sha256:" + Convert.ToHexStringLower(SHA256.HashData(body)), EventType = "instagram",
            Payload = Encoding.UTF8.GetString(body), ReceivedAt = clock.GetUtcNow(),
        }).WaitAsync(ct);
    }
}
