using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ClosedXML.Excel;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Contacts;

/// <summary>What the exports write, read back as a spreadsheet app reads them: typed cells in .xlsx, ISO 8601 times with offset in .csv.</summary>
public sealed class ExportCellTests : IAsyncLifetime
{
    private ContactsWorld _world = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_world is not null)
            await _world.DisposeAsync();
    }

    private async Task InMakassarAsync()
    {
        await using var db = _world.Database.CreateForTenant(_world.TenantId);
        await db.Tenants.Where(t => t.Id == _world.TenantId).ExecuteUpdateAsync(s => s.SetProperty(t => t.TimeZone, "Asia/Makassar"));
    }

    [Theory, Providers]
    public async Task ContactsXlsx_HasTextPhones_AndARealDateCellInTheTenantsZone(DatabaseProvider provider)
    {
        _world = await ContactsWorld.CreateAsync(provider);
        await InMakassarAsync();
        var created = await _world.Contacts.CreateAsync(_world.WorkspaceId, new ContactInput { Name = "+Budi", Phone = "081234567890" });
        Assert.True(created.Succeeded);
        DateTimeOffset createdAt;
        await using (var db = _world.Database.CreateForTenant(_world.TenantId))
            createdAt = await db.Contacts.Select(c => c.CreatedAt).SingleAsync();

        using var xlsx = new MemoryStream();
        await _world.Export.WriteAsync(_world.WorkspaceId, ContactSelection.All(new ContactFilter()), ExportFormat.Xlsx, xlsx);

        xlsx.Position = 0;
        using var book = new XLWorkbook(xlsx);
        var sheet = book.Worksheet(1);
        var last = sheet.Row(1).LastCellUsed().Address.ColumnNumber;
        Assert.Equal("Ditambahkan (Asia/Makassar)", sheet.Cell(1, last).GetString());
        Assert.Equal(XLDataType.Text, sheet.Cell(2, 1).DataType);
        Assert.Equal("+Budi", sheet.Cell(2, 1).GetString());
        Assert.Equal(XLDataType.Text, sheet.Cell(2, 2).DataType);
        Assert.Equal("+6281234567890", sheet.Cell(2, 2).GetString());
        var added = sheet.Cell(2, last);
        Assert.Equal(XLDataType.DateTime, added.DataType);
        Assert.Equal("yyyy-mm-dd hh:mm:ss", added.Style.NumberFormat.Format);
        // The cell holds the wall-clock time in Makassar: UTC + 8 hours (to the second; a spreadsheet keeps no zone).
        var expected = createdAt.UtcDateTime.AddHours(8);
        Assert.True(Math.Abs((added.GetDateTime() - expected).TotalSeconds) < 1, $"{added.GetDateTime():O} vs {expected:O}");
    }

    [Theory, Providers]
    public async Task ContactsCsv_WritesTimesAsIso8601WithTheZonesOffset_AndQuotesFormulas(DatabaseProvider provider)
    {
        _world = await ContactsWorld.CreateAsync(provider);
        await InMakassarAsync();
        await _world.Contacts.CreateAsync(_world.WorkspaceId, new ContactInput { Name = "=1+1", Phone = "081234567890" });

        using var csv = new MemoryStream();
        await _world.Export.WriteAsync(_world.WorkspaceId, ContactSelection.All(new ContactFilter()), ExportFormat.Csv, csv);

        var lines = Encoding.UTF8.GetString(csv.ToArray()).TrimStart('\uFEFF').Split("\r\n".ToCharArray(), StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",Ditambahkan (Asia/Makassar)", lines[0]);
        var cells = lines[1].Split(',');
        Assert.Equal("'=1+1", cells[0]);
        Assert.Equal("'+6281234567890", cells[1]);
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$"), cells[^1]);
        Assert.True(DateTimeOffset.TryParse(cells[^1], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at));
        Assert.True(Math.Abs((at - DateTimeOffset.UtcNow).TotalMinutes) < 5);
    }

    [Theory, Providers]
    public async Task ImportLeftovers_KeepTheFilesHeaders_AndListTheSkippedDuplicates(DatabaseProvider provider)
    {
        _world = await ContactsWorld.CreateAsync(provider);
        await _world.Contacts.CreateAsync(_world.WorkspaceId, new ContactInput { Name = "Lama", Phone = "081299990000" });
        var path = _world.PathFor("pelanggan.csv");
        await File.WriteAllTextAsync(path,
            "Nama Pelanggan,Nomor WA,Kota\n" +
            "Budi,081234567890,Bandung\n" +
            "Budi lagi,+62 812 3456 7890,Bogor\n" +     // the same number as row 2
            "Salah,12ab,Depok\n" +                      // not a number
            "Lama juga,081299990000,Solo\n");           // already a contact

        var (_, import) = await _world.ImportAsync(path, ImportDuplicateMode.Skip);

        Assert.Equal((1, 2, 1), (import!.Created, import.Skipped, import.Rejected));
        var skipped = await _world.Imports.SkippedAsync(import.Id, 100);
        Assert.Equal([3, 5], skipped.Select(s => s.RowNumber));
        Assert.Equal(["Import_DuplicateInFile|2", "Import_DuplicateOfContact"], skipped.Select(s => s.Reason));
        Assert.Equal([4], (await _world.Imports.ErrorsAsync(import.Id, 100)).Select(e => e.RowNumber));

        using var file = new MemoryStream();
        Assert.True(await _world.Export.WriteImportErrorsAsync(import.Id, file));
        file.Position = 0;
        using var book = new XLWorkbook(file);
        var rejected = book.Worksheet("Baris ditolak");
        Assert.Equal(["Baris", "Alasan", "Nama Pelanggan", "Nomor WA", "Kota"], Enumerable.Range(1, 5).Select(c => rejected.Cell(1, c).GetString()));
        Assert.Equal(4, rejected.Cell(2, 1).GetDouble());
        Assert.Equal("12ab", rejected.Cell(2, 4).GetString());
        Assert.True(rejected.Cell(3, 1).IsEmpty());
        var dupes = book.Worksheet("Duplikat dilewati");
        Assert.Equal("Nomor WA", dupes.Cell(1, 4).GetString());
        Assert.Equal(["Budi lagi", "Lama juga"], new[] { dupes.Cell(2, 3).GetString(), dupes.Cell(3, 3).GetString() });
        Assert.Equal("+62 812 3456 7890", dupes.Cell(2, 4).GetString());
    }

    [Theory, Providers]
    public async Task ImportReasonsAndExportHeaders_AreReadInTheReadersLanguage(DatabaseProvider provider)
    {
        _world = await ContactsWorld.CreateAsync(provider);
        var path = _world.PathFor("pelanggan.csv");
        await File.WriteAllTextAsync(path, "Nama,Telepon\nBudi,081234567890\nBudi lagi,081234567890\nSalah,12ab\n");
        // The import runs in one culture (a job's invariant one); each reader reads the reasons in theirs.
        var (_, import) = await _world.ImportAsync(path, ImportDuplicateMode.Skip);

        await ReadAsync("id", "Baris ditolak", "Baris", "Alasan", "Nomor telepon bukan angka.", "Duplikat: nomornya sama dengan baris 2.", "Nama,Telepon,Email,Grup,Berhenti,WhatsApp,Ditambahkan (");
        await ReadAsync("en", "Rejected rows", "Row", "Reason", "The phone number is not a number.", "Duplicate: the same number as row 2.", "Name,Phone,Email,Group,Opted out,WhatsApp,Added (");

        async Task ReadAsync(string culture, string rejectedSheet, string rowHeader, string reasonHeader, string notANumber, string duplicate, string contactHeaders)
        {
            var previous = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
            try
            {
                Assert.Equal(notANumber, KelolaPesan.Core.Common.ProblemText.Display((await _world.Imports.ErrorsAsync(import!.Id, 10)).Single().Reason));
                Assert.Equal(duplicate, KelolaPesan.Core.Common.ProblemText.Display((await _world.Imports.SkippedAsync(import.Id, 10)).Single().Reason));

                using var file = new MemoryStream();
                Assert.True(await _world.Export.WriteImportErrorsAsync(import.Id, file));
                file.Position = 0;
                using var book = new XLWorkbook(file);
                var rejected = book.Worksheet(rejectedSheet);
                Assert.Equal([rowHeader, reasonHeader, "Nama", "Telepon"], Enumerable.Range(1, 4).Select(c => rejected.Cell(1, c).GetString()));
                Assert.Equal(notANumber, rejected.Cell(2, 2).GetString());
                Assert.Equal(duplicate, book.Worksheet(2).Cell(2, 2).GetString());

                using var csv = new MemoryStream();
                await _world.Export.WriteAsync(_world.WorkspaceId, ContactSelection.All(new ContactFilter()), ExportFormat.Csv, csv);
                Assert.StartsWith(contactHeaders, Encoding.UTF8.GetString(csv.ToArray()).TrimStart('\uFEFF'));
            }
            finally
            {
                (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = previous;
            }
        }
    }
}
