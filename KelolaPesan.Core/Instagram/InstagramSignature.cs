using System.Security.Cryptography;
using System.Text;

namespace KelolaPesan.Core.Instagram;

/// <summary><c>X-Hub-Signature-256: sha256=&lt;hex&gt;</c> = HMAC-SHA256 of the raw body with the app secret, compared in constant time.</summary>
public static class InstagramSignature
{
    public const string Header = "X-Hub-Signature-256";
    private const string Prefix = "sha256=";

    public static bool Verify(byte[] body, string? appSecret, string? header)
    {
        if (string.IsNullOrEmpty(appSecret) || header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            return false;
        byte[] given;
        try
        {
            given = Convert.FromHexString(header.AsSpan(Prefix.Length).Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
