using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KelolaPesan.Web.Endpoints;

/// <summary>The raw bytes of a webhook, read whole before anything is parsed (signatures are over the exact bytes).</summary>
public static class WebhookBody
{
    /// <summary>Largest webhook body accepted; media travels by URL, never inline.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>
    /// The body, or null when it is larger than <see cref="MaxBytes"/> (declared or actual). The server's own limit is
    /// lowered to <see cref="MaxBytes"/> before the first byte is read, and the read stops at the limit: a chunked body
    /// (no length declared) costs at most <see cref="MaxBytes"/> of memory, however much the sender goes on sending.
    /// </summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes)
            return null;
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxBytes;

        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 16 * 1024);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                    return null;
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.ToArray();
    }

    /// <summary>The answer to a body over the limit: 413, never an error page.</summary>
    public static StatusCodeHttpResult TooLarge() => TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
}
