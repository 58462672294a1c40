using KelolaPesan.Core.Attachments;

namespace KelolaPesan.Core.Storage;

/// <summary>
/// Where files live that any node may need: attachments, uploads waiting for their import job, export zips. Keys are
/// made here (an area and random hex), never from a file name or any other user input, so no key can reach outside its
/// store or overwrite another file. The default is a folder (the data folder, or <c>Storage:Path</c>); several nodes
/// point it at one shared volume (docs/adr/0017).
/// </summary>
public interface IFileStorage
{
    /// <summary>Stores the content under a new key of the area; refuses (keeping nothing) past <paramref name="maxBytes"/>.</summary>
    Task<StoredFile> PutAsync(StorageArea area, Stream content, long maxBytes, CancellationToken cancellationToken = default);

    /// <summary>The content, or null when no file has this key. A key not made by this store is refused.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes the file if it exists. A key not made by this store is refused.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);
}

/// <summary>What a stored file is for; the area is the first part of its key.</summary>
public enum StorageArea { Attachments, Imports, Exports }
