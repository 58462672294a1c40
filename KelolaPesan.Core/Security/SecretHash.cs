using System.Security.Cryptography;
using System.Text;

namespace KelolaPesan.Core.Security;

/// <summary>
/// SHA-256 for high-entropy secrets (licence codes, API key secrets): a slow hash adds nothing when
/// the secret has 80+ bits, and lookups stay fast. Always compared in constant time.
/// </summary>
public static class SecretHash
{
    public static byte[] Compute(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool Matches(string secret, byte[] expectedHash) =>
        CryptographicOperations.FixedTimeEquals(Compute(secret), expectedHash);
}
