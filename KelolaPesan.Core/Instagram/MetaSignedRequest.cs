using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace KelolaPesan.Core.Instagram;

/// <summary>
/// Meta's <c>signed_request</c> (deauthorize and data deletion callbacks): <c>&lt;b64url signature&gt;.&lt;b64url payload&gt;</c>,
/// valid when HMAC-SHA256 of the payload segment as sent, keyed with the app secret, equals the signature (compared in constant time).
/// </summary>
public static class MetaSignedRequest
{
    public const int MaxLength = 4096;

    public sealed record Payload(string UserId, string? Algorithm, long? IssuedAt);

    public enum Status { Valid, Malformed, BadSignature }

    public sealed record Result(Status Status, Payload? Payload = null);

    /// <summary>Malformed (missing, not two base64url segments, not the expected JSON) or a wrong signature; else the payload.</summary>
    public static Result Verify(string? signedRequest, string appSecret)
    {
        if (string.IsNullOrWhiteSpace(signedRequest) || signedRequest.Length > MaxLength)
            return new(Status.Malformed);
        var parts = signedRequest.Trim().Split('.');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0
            || FromB64Url(parts[0]) is not { } signature || FromB64Url(parts[1]) is not { } payload)
            return new(Status.Malformed);
        if (string.IsNullOrEmpty(appSecret))
            return new(Status.BadSignature);
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), Encoding.ASCII.GetBytes(parts[1]));
        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
            return new(Status.BadSignature);
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("user_id", out var user))
                return new(Status.Malformed);
            var userId = user.ValueKind switch { JsonValueKind.String => user.GetString(), JsonValueKind.Number => user.GetRawText(), _ => null };
            var algorithm = root.TryGetProperty("algorithm", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            if (string.IsNullOrWhiteSpace(userId) || userId.Length > InstagramAccount.IdMaxLength
                || (algorithm is not null && !algorithm.Equals("HMAC-SHA256", StringComparison.OrdinalIgnoreCase)))
                return new(Status.Malformed);
            long? issuedAt = root.TryGetProperty("issued_at", out var i) && i.ValueKind == JsonValueKind.Number && i.TryGetInt64(out var at) ? at : null;
            return new(Status.Valid, new Payload(userId, algorithm, issuedAt));
        }
        catch (JsonException)
        {
            return new(Status.Malformed);
        }
    }

    private static byte[]? FromB64Url(string value)
    {
        var s = value.Replace('-', '+').Replace('_', '/');
        s += (s.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => "!" };
        try
        {
            return Convert.FromBase64String(s);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
