using KelolaPesan.Core.Attachments;

namespace KelolaPesan.Core.Storage;

/// <summary>
/// The attachment store over the storage port: attachment rows keep the bare 32-hex key they always had, stored
/// in the attachments area, so rows and files written before the port stay valid.
/// </summary>
public sealed class FileStorageAttachmentStore(IFileStorage storage) : IAttachmentStore
{
    private const string Prefix = "attachments/";

    public async Task<StoredFile> SaveAsync(Stream content, long maxBytes, CancellationToken cancellationToken = default)
    {
        var stored = await storage.PutAsync(StorageArea.Attachments, content, maxBytes, cancellationToken);
        return stored with { StorageKey = stored.StorageKey[Prefix.Length..] };
    }

    public Task<Stream?> OpenReadAsync(string storageKey, CancellationToken cancellationToken = default) =>
        storage.OpenReadAsync(Prefix + storageKey, cancellationToken);

    public Task DeleteAsync(string storageKey, CancellationToken cancellationToken = default) =>
        storage.DeleteAsync(Prefix + storageKey, cancellationToken);
}
