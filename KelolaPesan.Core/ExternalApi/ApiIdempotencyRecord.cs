using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.ExternalApi;

/// <summary>The first result of an API call made with an <c>Idempotency-Key</c>; a repeat returns it and does nothing again.</summary>
public class ApiIdempotencyRecord : Entity, ITenantOwned
{
    public const int KeyMaxLength = 200;
    public const int FingerprintLength = SHA256.HashSizeInBytes;

    public Guid TenantId { get; set; }
    public Guid ApiKeyId { get; set; }
    public string Key { get; set; } = "";

    /// <summary>
    /// SHA-256 of the first request's method, path and body (<see cref="FingerprintAsync"/>): the key reused for
    /// another request answers 422 (IETF draft "The Idempotency-Key HTTP Header Field"), not the first result. Null on
    /// records kept from before it was stored: those answer their first result.
    /// </summary>
    public byte[]? Fingerprint { get; set; }

    /// <summary>0 while the first request still runs.</summary>
    public int StatusCode { get; set; }
    public string ResponseJson { get; set; } = "";

    /// <summary>
    /// The fingerprint of a request: its method, its path (case and a final slash do not change the endpoint) and its
    /// body. A JSON body counts by its meaning, not its bytes: parsed and written again with every object's keys sorted
    /// and no insignificant whitespace, so a client that serialises the same request again (another library, another key
    /// order, pretty-printed) is recognised. Numbers count by their text (1 and 1.0 differ). A body that is not JSON
    /// counts by its bytes. The body is bounded by the API's size limit, and the hash is fed as it is written.
    /// </summary>
    public static async Task<byte[]> FingerprintAsync(string method, string path, Stream body, CancellationToken ct = default)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var endpoint = Encoding.UTF8.GetBytes(method.ToUpperInvariant() + " " + path.TrimEnd('/').ToLowerInvariant() + "\n");
        hash.AppendData(endpoint);
        if (!body.CanSeek)
        {
            var copy = new MemoryStream();
            await body.CopyToAsync(copy, ct);
            copy.Position = 0;
            body = copy;
        }
        var start = body.Position;
        if (body.Length - start > 0 && await CanonicalAsync(body, hash, ct))
            return hash.GetHashAndReset();

        // Not JSON (the endpoint refuses it anyway): its bytes as sent, from a clean hash so no half-written JSON counts.
        hash.GetHashAndReset();
        hash.AppendData(endpoint);
        body.Position = start;
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
            hash.AppendData(buffer, 0, read);
        return hash.GetHashAndReset();
    }

    private static async Task<bool> CanonicalAsync(Stream body, IncrementalHash hash, CancellationToken ct)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: ct);
            await using var writer = new Utf8JsonWriter(new HashingStream(hash));
            WriteCanonical(writer, document.RootElement);
            await writer.FlushAsync(ct);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string that is not valid text (a lone surrogate escape).
            return false;
        }
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                // A stable sort: a name sent twice keeps its order (the binder reads the last).
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                    WriteCanonical(writer, item);
                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            case JsonValueKind.Number:
                writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                break;
            default:
                element.WriteTo(writer);
                break;
        }
        // Keep what the writer holds small: the hash takes it as it goes.
        if (writer.BytesPending > 16 * 1024)
            writer.Flush();
    }

    /// <summary>A write-only stream into a hash.</summary>
    private sealed class HashingStream(IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Write(byte[] buffer, int offset, int count) => hash.AppendData(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => hash.AppendData(buffer);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            hash.AppendData(buffer, offset, count);
            return Task.CompletedTask;
        }
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            hash.AppendData(buffer.Span);
            return ValueTask.CompletedTask;
        }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

/// <summary>An <c>Idempotency-Key</c> with the fingerprint of the request that carried it.</summary>
public sealed record ApiIdempotencyKey(string Key, byte[] Fingerprint);
