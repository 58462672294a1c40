namespace KelolaPesan.Core.Attachments;

/// <summary>
/// Where attachment bytes live. Keys are random (never derived from the file name), so a stored file
/// cannot be guessed or made to overwrite another. Local folder by default; an S3-compatible store can follow.
/// </summary>
public interface IAttachmentStore
{
    /// <summary>Stores the content under a new random key and returns the key and the byte count written.</summary>
    Task<StoredFile> SaveAsync(Stream content, long maxBytes, CancellationToken cancellationToken = default);

    Task<Stream?> OpenReadAsync(string storageKey, CancellationToken cancellationToken = default);

    Task DeleteAsync(string storageKey, CancellationToken cancellationToken = default);
}

public sealed record StoredFile(string StorageKey, long SizeBytes);

/// <summary>The content was larger than the policy allows; nothing was kept.</summary>
public sealed class AttachmentTooLargeException(long maxBytes)
    : Exception($"The file is larger than the limit of {maxBytes / 1024 / 1024.0:0.#} MB.")
{
    public long MaxBytes { get; } = maxBytes;
}
