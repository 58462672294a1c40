using System.Text;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Storage;

namespace KelolaPesan.Tests.Storage;

/// <summary>The storage port's folder implementation on a real folder: keys it makes, and nothing else, become paths.</summary>
public sealed class LocalFileStorageTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "kp-storage-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task PutOpenDelete_ByAKeyOfTheArea()
    {
        var storage = new LocalFileStorage(_root);
        var stored = await storage.PutAsync(StorageArea.Imports, new MemoryStream(Encoding.UTF8.GetBytes("phone\n0812")), 1000);

        Assert.Matches("^imports/[0-9a-f]{32}$", stored.StorageKey);
        Assert.Equal(10, stored.SizeBytes);
        Assert.True(LocalFileStorage.IsKey(stored.StorageKey));
        await using (var read = await storage.OpenReadAsync(stored.StorageKey))
            Assert.Equal("phone\n0812", await new StreamReader(read!).ReadToEndAsync());
        // A second node over the same (shared) folder reads it too.
        await using (var other = await new LocalFileStorage(_root).OpenReadAsync(stored.StorageKey))
            Assert.NotNull(other);

        await storage.DeleteAsync(stored.StorageKey);
        Assert.Null(await storage.OpenReadAsync(stored.StorageKey));
        Assert.Empty(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("../secret")]
    [InlineData("imports/../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("imports/..%2F..%2Fetc%2Fpasswd")]
    [InlineData("imports\\..\\..\\secret")]
    [InlineData("imports/0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("imports/0123456789abcdef0123456789abcdef/../x")]
    [InlineData("config/0123456789abcdef0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("")]
    public async Task AKeyItDidNotMake_IsRefused_NeverTurnedIntoAPath(string key)
    {
        var storage = new LocalFileStorage(_root);

        Assert.False(LocalFileStorage.IsKey(key));
        await Assert.ThrowsAsync<ArgumentException>(() => storage.OpenReadAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => storage.DeleteAsync(key));
    }

    [Fact]
    public async Task AnAttachmentKey_CannotClimbOutOfTheAttachmentsArea()
    {
        var attachments = new FileStorageAttachmentStore(new LocalFileStorage(_root));
        await Assert.ThrowsAsync<ArgumentException>(() => attachments.OpenReadAsync("../imports/0123456789abcdef0123456789abcdef"));
        await Assert.ThrowsAsync<ArgumentException>(() => attachments.DeleteAsync("../../etc/passwd"));
    }

    [Fact]
    public async Task TooLarge_IsRefused_AndNothingIsKept()
    {
        var storage = new LocalFileStorage(_root);
        await Assert.ThrowsAsync<AttachmentTooLargeException>(() => storage.PutAsync(StorageArea.Exports, new MemoryStream(new byte[2048]), 1024));
        Assert.Empty(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Attachments_KeepTheirBareKeys_AndTheFolderLayoutOfTheStoreBefore()
    {
        var attachments = new FileStorageAttachmentStore(new LocalFileStorage(_root));
        var stored = await attachments.SaveAsync(new MemoryStream([1, 2, 3]), 100);

        Assert.Matches("^[0-9a-f]{32}$", stored.StorageKey);
        // Rows stored before the port were read by the attachment folder store over <data>/attachments: still readable.
        await using var before = await new LocalAttachmentStore(Path.Combine(_root, "attachments")).OpenReadAsync(stored.StorageKey);
        Assert.NotNull(before);
        await attachments.DeleteAsync(stored.StorageKey);
        Assert.Null(await attachments.OpenReadAsync(stored.StorageKey));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }
}
