using System.Security.Cryptography;

namespace KelolaPesan.Core.Attachments;

/// <summary>Attachments as files under one root folder, two levels of sub-folders by key to keep folders small.</summary>
public sealed class LocalAttachmentStore(string rootDirectory) : IAttachmentStore
{
    public string RootDirectory { get; } = Path.GetFullPath(rootDirectory);

    public async Task<StoredFile> SaveAsync(Stream content, long maxBytes, CancellationToken cancellationToken = default)
    {
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var path = PathFor(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        long written = 0;
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            var buffer = new byte[81920];
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                written += read;
                if (written > maxBytes)
                    throw new AttachmentTooLargeException(maxBytes);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        return new StoredFile(key, written);
    }

    public Task<Stream?> OpenReadAsync(string storageKey, CancellationToken cancellationToken = default)
    {
        var path = PathFor(storageKey);
        Stream? stream = File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true) : null;
        return Task.FromResult(stream);
    }

    public Task DeleteAsync(string storageKey, CancellationToken cancellationToken = default)
    {
        File.Delete(PathFor(storageKey));
        return Task.CompletedTask;
    }

    private string PathFor(string key)
    {
        // Keys are ours (hex); anything else is refused rather than turned into a path.
        if (key.Length != 32 || !key.All(char.IsAsciiHexDigitLower))
            throw new ArgumentException("Not a storage key.", nameof(key));
        return Path.Combine(RootDirectory, key[..2], key[2..4], key);
    }
}
