using System.Text;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Contacts.Import;
using KelolaPesan.Data.Common;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Contacts;

/// <summary>What an import keeps while it runs: the existing contacts are asked per batch, never loaded whole.</summary>
public sealed class ContactImportMemoryTests : IAsyncLifetime
{
    private ContactsWorld _world = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_world is not null)
            await _world.DisposeAsync();
    }

    // 2,500 contacts exist (one deleted); a four-row file touches two of them. No query of the run reads more rows than
    // the file has: the existing contacts are looked up by the batch's numbers, not loaded.
    [Theory, Providers]
    public async Task ExistingContacts_AreAskedForByTheBatchsNumbers_NotLoaded(DatabaseProvider provider)
    {
        var reads = new ReadCounter();
        _world = await ContactsWorld.CreateAsync(provider, [reads]);
        var now = DateTimeOffset.UtcNow;
        var existing = Enumerable.Range(0, 2_500).Select(i => new Contact
        {
            TenantId = _world.TenantId, WorkspaceId = _world.WorkspaceId, Name = $"Lama {i}", Phone = $"+62812600{i:D5}",
            DeletedAt = i == 7 ? now : null, CreatedAt = now, UpdatedAt = now,
        }).ToList();
        await using (var db = _world.Database.CreateForTenant(_world.TenantId))
            await new RelationalBulkInserter().InsertAsync(db, existing, default);
        var path = _world.PathFor("kontak.csv");
        reads.Clear();
        await File.WriteAllTextAsync(path, "name,phone\nBaru,081260000003\nKembali,081260000007\nSatu,081299990001\nDua,081299990002\n");

        var (_, import) = await _world.ImportAsync(path, ImportDuplicateMode.Update);

        Assert.Equal((3, 1, 0), (import!.Created, import.Updated, import.Rejected));
        Assert.InRange(reads.MostRows(), 1, 5);
        await using (var db = _world.Database.CreateForTenant(_world.TenantId))
        {
            Assert.Equal("Baru", (await db.Contacts.SingleAsync(c => c.Phone == "+6281260000003")).Name);
            Assert.Equal("Kembali", (await db.Contacts.SingleAsync(c => c.Phone == "+6281260000007")).Name);
            Assert.Equal(2_502, await db.Contacts.CountAsync());
        }
    }

    // A full batch of numbers that all exist: the look-up asks for them in parts, and every part's contacts are found
    // (none is created a second time, none fails the unique number).
    [Theory, Providers]
    public async Task AFullBatchOfExistingNumbers_IsFoundInEveryPartOfTheLookUp(DatabaseProvider provider)
    {
        _world = await ContactsWorld.CreateAsync(provider);
        var now = DateTimeOffset.UtcNow;
        var existing = Enumerable.Range(0, ContactImportService.BatchSize).Select(i => new Contact
        {
            TenantId = _world.TenantId, WorkspaceId = _world.WorkspaceId, Name = $"Lama {i}", Phone = $"+62812600{i:D5}",
            CreatedAt = now, UpdatedAt = now,
        }).ToList();
        await using (var db = _world.Database.CreateForTenant(_world.TenantId))
            await new RelationalBulkInserter().InsertAsync(db, existing, default);
        var path = _world.PathFor("kontak.csv");
        var rows = Enumerable.Range(0, ContactImportService.BatchSize).Select(i => $"Baru {i},0812600{i:D5}");
        await File.WriteAllTextAsync(path, "name,phone\n" + string.Join("\n", rows) + "\n");

        var (_, import) = await _world.ImportAsync(path, ImportDuplicateMode.Update);

        Assert.Equal((0, ContactImportService.BatchSize, 0), (import!.Created, import.Updated, import.Rejected));
        await using (var db = _world.Database.CreateForTenant(_world.TenantId))
        {
            Assert.Equal(ContactImportService.BatchSize, await db.Contacts.CountAsync());
            Assert.Equal(ContactImportService.BatchSize, await db.Contacts.CountAsync(c => c.Name.StartsWith("Baru ")));
        }
    }

    // A number repeated past the first batch (2,000 rows) is still known as a duplicate, with the row it first came on
    // (Skip mode), or updates the contact the earlier batch created (Update mode).
    [Theory, Providers]
    public async Task DuplicatesAcrossBatches_KeepTheirFirstRow_OrUpdateTheContactOfTheEarlierBatch(DatabaseProvider provider)
    {
        _world = await ContactsWorld.CreateAsync(provider);
        var skipPath = _world.PathFor("skip.csv");
        await File.WriteAllTextAsync(skipPath, Numbered(2_100, repeat: (FileRow: 2_090, Of: 7)));

        var (_, skipped) = await _world.ImportAsync(skipPath, ImportDuplicateMode.Skip);

        Assert.Equal((2_099, 1), (skipped!.Created, skipped.Skipped));
        var skip = Assert.Single(await _world.Imports.SkippedAsync(skipped.Id, 10));
        Assert.Equal((2_090, "Import_DuplicateInFile|7"), (skip.RowNumber, skip.Reason));

        var updatePath = _world.PathFor("update.csv");
        await File.WriteAllTextAsync(updatePath, Numbered(2_100, repeat: (FileRow: 2_095, Of: 3), first: 5_000));

        var (_, updated) = await _world.ImportAsync(updatePath, ImportDuplicateMode.Update);

        Assert.Equal((2_099, 1, 0), (updated!.Created, updated.Updated, updated.Skipped));
        await using var db = _world.Database.CreateForTenant(_world.TenantId);
        Assert.Equal("Baris 2095", (await db.Contacts.SingleAsync(c => c.Phone == "+6281270005001")).Name);
    }

    /// <summary>A CSV of <paramref name="rows"/> numbered rows (file rows 2 on); the row <c>FileRow</c> repeats the number of row <c>Of</c>.</summary>
    private static string Numbered(int rows, (int FileRow, int Of) repeat, int first = 0)
    {
        var text = new StringBuilder("name,phone\n");
        for (var fileRow = 2; fileRow < rows + 2; fileRow++)
        {
            var n = first + (fileRow == repeat.FileRow ? repeat.Of : fileRow) - 2;
            text.Append($"Baris {fileRow},08127{n:D7}\n");
        }
        return text.ToString();
    }
}
