namespace KelolaPesan.Web.Endpoints;

/// <summary>The raw bytes of a webhook, read whole before anything is parsed (signatures are over the exact bytes).</summary>
public static class WebhookBody
{
    /// <summary>Largest webhook body accepted; media travels by URL, never inline.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The body, or null when it is larger than <see cref="MaxBytes"/> (declared or actual).</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes)
            return null;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        return buffer.Length > MaxBytes ? null : buffer.ToArray();
    }
}
