using System.Security.Cryptography;
using System.Text;

namespace KelolaPesan.Core.Gateways;

/// <summary>The HMAC-SHA512 signature a gateway puts on webhook bodies; verify the raw bytes before parsing them.</summary>
public static class WebhookSignature
{
    public const string HmacHeader = "X-Webhook-Hmac";
    public const string AlgorithmHeader = "X-Webhook-Hmac-Algorithm";
    public const string TimestampHeader = "X-Webhook-Timestamp";
    public const string Algorithm = "sha512";

    /// <summary>Lower-case hex HMAC-SHA512 of <paramref name="body"/> under <paramref name="key"/> (UTF-8).</summary>
    public static string Compute(ReadOnlySpan<byte> body, string key) =>
        Convert.ToHexStringLower(HMACSHA512.HashData(Encoding.UTF8.GetBytes(key), body));

    /// <summary>
    /// True only when <paramref name="signatureHex"/> is the HMAC of <paramref name="body"/> under <paramref name="key"/>.
    /// A missing or malformed signature, or an algorithm other than sha512, fails.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> body, string key, string? signatureHex, string? algorithm = Algorithm)
    {
        if (string.IsNullOrEmpty(key) || string.IsNullOrWhiteSpace(signatureHex))
            return false;
        if (algorithm is not null && !string.Equals(algorithm.Trim(), Algorithm, StringComparison.OrdinalIgnoreCase))
            return false;

        Span<byte> given = stackalloc byte[HMACSHA512.HashSizeInBytes];
        var hex = signatureHex.AsSpan().Trim();
        if (hex.Length != given.Length * 2 || Convert.FromHexString(hex, given, out _, out var written) != System.Buffers.OperationStatus.Done || written != given.Length)
            return false;

        Span<byte> expected = stackalloc byte[HMACSHA512.HashSizeInBytes];
        HMACSHA512.HashData(Encoding.UTF8.GetBytes(key), body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
