using System.Security.Cryptography;
using KelolaPesan.Core.Attachments;

namespace KelolaPesan.Core.Storage;

/// <summary>
/// Files under one root folder: <c>{area}/{xx}/{yy}/{32 hex}</c>, two levels of sub-folders to keep folders small.
/// The attachments area keeps the layout of the attachment folder it replaces, so files stored before stay readable.
/// </summary>
public sealed class LocalFileStorage(string rootDirectory) : IFileStorage
{
    private const int HexLength = 32;

    public string RootDirectory { get; } = Path.GetFullPath(rootDirectory);

    public async Task<StoredFile> PutAsync(StorageArea area, Stream content, long maxBytes, CancellationToken cancellationToken = default)
    {
        var key = AreaName(area) + "/" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(HexLength / 2));
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

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathFor(key);
        Stream? stream = File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true) : null;
        return Task.FromResult(stream);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        File.Delete(PathFor(key));
        return Task.CompletedTask;
    }

    /// <summary>True for a key this store makes: a known area, a slash, 32 lowercase hex digits. Nothing else becomes a path.</summary>
    public static bool IsKey(string? key)
    {
        if (key is null)
            return false;
        var slash = key.IndexOf('/');
        if (slash < 0 || !Enum.GetValues<StorageArea>().Any(a => AreaName(a) == key[..slash]))
            return false;
        var hex = key[(slash + 1)..];
        return hex.Length == HexLength && hex.All(char.IsAsciiHexDigitLower);
    }

    private string PathFor(string key)
    {
        if (!IsKey(key))
            throw new ArgumentException("Not a storage key.", nameof(key));
        var slash = key.IndexOf('/');
        var hex = key[(slash + 1)..];
        return Path.Combine(RootDirectory, key[..slash], hex[..2], hex[2..4], hex);
    }

    private static string AreaName(StorageArea area) => area.ToString().ToLowerInvariant();
}
