using KelolaPesan.Core.Admin;

namespace KelolaPesan.Core.Attachments;

/// <summary>A file stored and typed, with its bytes, whose row the caller saves (or discards the file if it cannot).</summary>
public sealed record StoredUpload(Attachment Attachment, byte[] Data);

/// <summary>
/// The one upload path for files we send (inbox replies, broadcasts): the tenant's policy size limit, the bytes kept
/// in the store under a random key, and the type read from the bytes, never from the name.
/// </summary>
public static class AttachmentUploads
{
    /// <summary>
    /// The attachment limit of the tenant's effective policy (its licence tier's override, else the default): the
    /// tenant is the one of the workspace the file goes to, never assumed from the default row.
    /// </summary>
    public static async Task<long> MaxBytesAsync(PolicyService policies, Guid tenantId, CancellationToken ct = default) =>
        (await policies.GetEffectiveAsync(tenantId, ct)).MaxAttachmentBytes;

    /// <summary>Stores the content (throws <see cref="AttachmentTooLargeException"/> past the limit) and builds its unsaved row.</summary>
    public static async Task<StoredUpload> StoreAsync(IAttachmentStore store, Guid tenantId, Guid workspaceId, Stream content, string? fileName,
        long maxBytes, CancellationToken ct = default)
    {
        var stored = await store.SaveAsync(content, maxBytes, ct);
        byte[] data;
        try
        {
            await using var saved = await store.OpenReadAsync(stored.StorageKey, ct)
                ?? throw new InvalidOperationException("The stored attachment vanished.");
            using var buffer = new MemoryStream((int)stored.SizeBytes);
            await saved.CopyToAsync(buffer, ct);
            data = buffer.ToArray();
        }
        catch
        {
            await store.DeleteAsync(stored.StorageKey, CancellationToken.None);
            throw;
        }

        var type = FileTypeSniffer.Detect(new MemoryStream(data, writable: false));
        var attachment = new Attachment
        {
            TenantId = tenantId, WorkspaceId = workspaceId,
            OriginalFileName = SafeFileName(fileName, type.Extension),
            StoredFileName = stored.StorageKey + type.Extension,
            MimeType = type.MimeType, SizeBytes = stored.SizeBytes, StorageKey = stored.StorageKey, Kind = type.Kind,
        };
        return new StoredUpload(attachment, data);
    }

    /// <summary>Only the last path segment, no control characters, bounded; the stored name is never used as a path.</summary>
    public static string SafeFileName(string? name, string extension)
    {
        var file = Path.GetFileName((name ?? "").Replace('\\', '/').Split('/').Last());
        file = new string(file.Where(ch => !char.IsControl(ch) && ch is not ('"' or '<' or '>' or '|' or '*' or '?' or ':')).ToArray()).Trim(' ', '.');
        if (file.Length == 0)
            file = "file" + extension;
        return file.Length <= Attachment.FileNameMaxLength ? file : file[..Attachment.FileNameMaxLength];
    }
}
