using System.Security.Cryptography;
using System.Text;
using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.ExternalApi;

/// <summary>The first result of an API call made with an <c>Idempotency-Key</c>; a repeat returns it and sends nothing.</summary>
public class ApiIdempotencyRecord : Entity, ITenantOwned
{
    public const int KeyMaxLength = 200;
    public const int FingerprintLength = SHA256.HashSizeInBytes;

    public Guid TenantId { get; set; }
    public Guid ApiKeyId { get; set; }
    public string Key { get; set; } = "";

    /// <summary>
    /// SHA-256 of the first request's method, path and body bytes (<see cref="FingerprintAsync"/>): the key reused for
    /// another request answers 422 (IETF draft "The Idempotency-Key HTTP Header Field"), not the first result. Null on
    /// records kept from before it was stored: those answer their first result.
    /// </summary>
    public byte[]? Fingerprint { get; set; }

    public int StatusCode { get; set; }
    public string ResponseJson { get; set; } = "";

    /// <summary>The fingerprint of a request: its method, its path (case and a final slash do not change the endpoint) and its body as sent.</summary>
    public static async Task<byte[]> FingerprintAsync(string method, string path, Stream body, CancellationToken ct = default)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(method.ToUpperInvariant() + " " + path.TrimEnd('/').ToLowerInvariant() + "\n"));
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
            hash.AppendData(buffer, 0, read);
        return hash.GetHashAndReset();
    }
}

/// <summary>An <c>Idempotency-Key</c> with the fingerprint of the request that carried it.</summary>
public sealed record ApiIdempotencyKey(string Key, byte[] Fingerprint);
