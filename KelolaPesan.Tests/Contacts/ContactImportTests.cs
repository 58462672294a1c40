using System.Text;
using ClosedXML.Excel;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Contacts.Import;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Data;

namespace KelolaPesan.Tests.Contacts;

public sealed class ContactImportTests : IAsyncLifetime
{
    private ContactsWorld _world = null!;

    // Each test makes its world on its provider (a theory over ProvidersAttribute).
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_world is not null)
            await _world.DisposeAsync();
    }

    [Theory, Providers]
    public async Task CleanXlsx_ImportsEveryRow_Normalised_AndRecordsTheImport(DatabaseProvider provider)
    {
        _world = await ContactsWorld.CreateAsync(provider);
        var path = _world.PathFor("bersih.xlsx");
        using (var wb = new XLWorkbook())
        {
            var ws = wb.AddWorksheet("Pelanggan");
            ws.Cell(1, 1).Value = "Nama";
            ws.Cell(1, 2).Value = "No HP";
            ws.Cell(1, 3).Value = "Email";
            ws.Cell(2, 1).Value = "Budi";
            ws.Cell(2, 2).SetValue("0812-3456-7891");
            ws.Cell(2, 3).Value = "budi@example.com";
            ws.Cell(3, 1).Value = "Sari";
            ws.Cell(3, 2).SetValue("+62 813 1111 2222");
            wb.SaveAs(path);
        }

        var (preview, import) = await _world.ImportAsync(path);

        Assert.True(preview.IsOk, preview.Message);
        Assert.Equal(["Pelanggan"], preview.Sheets);
        Assert.Equal(2, preview.Rows.Count);
        Assert.Equal(ImportStatus.Completed, import!.Status);
        Assert.Equal((2, 2, 0, 0), (import.TotalRows, import.Created, import.Skipped, import.Rejected));
        await using var db = _world.Database.CreateForTenant(_world.TenantId);
        var phones = await db.Contacts.OrderBy(c => c.Name).Select(c => c.Phone + "|" + c.Name + "|" + c.Email).ToListAsync();
        Assert.Equal(["+6281234567891|Budi|budi@example.com", "+6281311112222|Sari|"], phones);
        Assert.Contains(_world.Bus.Events, e => e is ContactImportProgress { Status: ImportStatus.Completed, Created: 2 });
    }

    [Theory, Providers]
    public async Task ANulInACell_IsDropped_AndTheRowsAroundItImport(DatabaseProvider provider)
    {
        // PostgreSQL refused the batch holding "_x0000_" (OOXML's NUL) and the import stayed Running for ever.
        _world = await ContactsWorld.CreateAsync(provider);
        var path = _world.PathFor("nul.xlsx");
        using (var wb = new XLWorkbook())
        {
            var ws = wb.AddWorksheet("Pelanggan");
            ws.Cell(1, 1).Value = "Nama";
            ws.Cell(1, 2).Value = "No HP";
            (ws.Cell(2, 1).Value, ws.Cell(3, 1).Value, ws.Cell(4, 1).Value) = ("Budi", "Racun\0Nul", "Sari");
            ws.Cell(2, 2).SetValue("081234567891");
            ws.Cell(3, 2).SetValue("081234567892");
            ws.Cell(4, 2).SetValue("081234567893");
            wb.SaveAs(path);
        }

        var (_, import) = await _world.ImportAsync(path);

        Assert.Equal((ImportStatus.Completed, 3), (import!.Status, import.Created));
        await using var db = _world.Database.CreateForTenant(_world.TenantId);
        Assert.Equal(["Budi", "RacunNul", "Sari"], await db.Contacts.OrderBy(c => c.Phone).Select(c => c.Name).ToListAsync());
    }

    [Theory, Providers]
    public async Task ARowWithAnEmailWithoutADottedDomain_IsRejectedWithItsRowNumber_AndNamesLoseTheirControlCharacters(DatabaseProvider provider)
    {
        _world = await ContactsWorld.CreateAsync(provider);
        var path = _world.PathFor("kontrol.xlsx");
        using (var wb = new XLWorkbook())
        {
            var ws = wb.AddWorksheet("Pelanggan");
            (ws.Cell(1, 1).Value, ws.Cell(1, 2).Value, ws.Cell(1, 3).Value) = ("Nama", "No HP", "Email");
            // ESC and U+0001 go into the file as _x001B_ and _x0001_; the bidi override and the line break as they are.
            (ws.Cell(2, 1).Value, ws.Cell(2, 3).Value) = ("\u202EBudi\u202C\u001b[1m\u0001\nSantoso", "budi@toko.co.id");
            (ws.Cell(3, 1).Value, ws.Cell(3, 3).Value) = ("Hadi", "hadi@x");
            (ws.Cell(4, 1).Value, ws.Cell(4, 3).Value) = ("Sari\t\u0080", "");
            ws.Cell(2, 2).SetValue("081234567891");
            ws.Cell(3, 2).SetValue("081234567892");
            ws.Cell(4, 2).SetValue("081234567893");
            wb.SaveAs(path);
        }

        var (_, import) = await _world.ImportAsync(path);

        Assert.Equal((ImportStatus.Completed, 2, 1), (import!.Status, import.Created, import.Rejected));
        await using var db = _world.Database.CreateForTenant(_world.TenantId);
        Assert.Equal(["Budi[1m Santoso", "Sari"], await db.Contacts.OrderBy(c => c.Phone).Select(c => c.Name).ToListAsync());
        var error = Assert.Single(await _world.Imports.ErrorsAsync(import.Id, 100));
        Assert.Equal(3, error.RowNumber);
        Assert.Equal("Email_Invalid", KelolaPesan.Core.Common.ProblemText.Parse(error.Reason)?.Code);
        Assert.Equal(KelolaPesan.Core.Common.ProblemText.Get("Email_Invalid"), KelolaPesan.Core.Common.ProblemText.Display(error.Reason));
    }

    [Fact]
    public async Task AnUnexpectedFailure_EndsTheImportAsFailedWithAMessage_NotRunningForEver()
    {
        var fault = new FailingContactReads();
        _world = await ContactsWorld.CreateAsync(interceptors: [fault]);
        var path = _world.PathFor("ok.csv");
        await File.WriteAllTextAsync(path, "Nama,No HP\nBudi,081234567891\n");
        var preview = await _world.Imports.PreviewAsync(_world.WorkspaceId, path, null);
        var options = new ImportOptions { Sheet = preview.Sheet, HeaderRow = preview.HeaderRow, Mapping = preview.Mapping };
        var id = (await _world.Imports.CreateAsync(_world.WorkspaceId, null, "ok.csv", ImportSource.Csv, options))!.Value;

        fault.Armed = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => _world.Imports.RunAsync(_world.TenantId, id, path, options));
        fault.Armed = false;

        await using var db = _world.Database.CreateForTenant(_world.TenantId);
        var import = await db.ContactImports.SingleAsync(i => i.Id == id);
        Assert.Equal(ImportStatus.Failed, import.Status);
        Assert.Equal("Import_Interrupted", Core.Common.ProblemText.Parse(import.Error)?.Code);
    }

    /// <summary>A database that refuses reading contacts once armed: a failure the import does not expect.</summary>
    private sealed class FailingContactReads : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        public volatile bool Armed;

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default) =>
            Armed && command.CommandText.Contains("\"Contacts\"", StringComparison.Ordinal) && !command.CommandText.Contains("ContactImports", StringComparison.Ordinal)
                ? throw new InvalidOperationException("the database refused the read")
                : base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    [Theory, Providers]
    public async Task MessyXlsx_GoodRowsImport_AndEveryBadRowHasItsRowNumberAndReason(DatabaseProvider provider)
    {
        _world = await ContactsWorld.CreateAsync(provider);
        var city = await _world.Catalog.SaveFieldAsync(_world.TenantId, null, "kota", "Kota", CustomFieldType.Text, null);
        var birthday = await _world.Catalog.SaveFieldAsync(_world.TenantId, null, "lahir", "Lahir", CustomFieldType.Date, null);
        Assert.True(city.Succeeded && birthday.Succeeded);
        var path = _world.PathFor("berantakan.xlsx");
        using (var wb = new XLWorkbook())
        {
            var ws = wb.AddWorksheet("Data");
            // A merged title row above the header, and a header cell merged over two columns.
            ws.Cell(1, 1).Value = "DAFTAR PELANGGAN 2024";
            ws.Range(1, 1, 1, 5).Merge();
            ws.Cell(2, 1).Value = "Nama";
            ws.Cell(2, 2).Value = "Telepon";
            ws.Cell(2, 4).Value = "Kota";
            ws.Cell(2, 5).Value = "Lahir";
            ws.Range(2, 2, 2, 3).Merge();
            ws.Cell(3, 1).Value = "Andi 😀";           // emoji kept
            ws.Cell(3, 2).Value = 81234567890;          // stored as a number: the leading 0 is gone
            ws.Cell(3, 4).Value = "Bandung";
            ws.Cell(3, 5).Value = new DateTime(1990, 5, 17); // a date cell (OADate serial)
            // row 4 blank
            ws.Cell(5, 1).FormulaA1 = "=\"Citra\"&\" Dewi\"";   // formula: the cached value is used
            ws.Cell(5, 2).SetValue("6281298765432");
            ws.Cell(6, 1).Value = "Dedi";
            ws.Cell(6, 2).SetValue("12345");            // invalid number
            ws.Cell(7, 1).Value = "Eka";
            ws.Cell(7, 2).SetValue("0812 9999 0001");
            ws.Cell(7, 4).Value = new string('x', 5000); // 5,000-character cell
            ws.Cell(8, 1).Value = "Andi lagi";
            ws.Cell(8, 2).SetValue("0812-3456-7890");   // duplicate of row 3
            ws.Cell(9, 1).Value = "Fajar";
            ws.Cell(9, 2).SetValue("bukan nomor");
            ws.Cell(10, 1).Value = "Gita";
            ws.Cell(10, 2).SetValue("0813 2222 3333");
            ws.Cell(10, 5).Value = "kemarin";            // not a date
            wb.SaveAs(path);
        }
        // ClosedXML 0.95 saves formulas without the value Excel would cache next to them: add it as Excel does.
        SetCachedFormulaValue(path, "A5", "Citra Dewi");

        var (preview, import) = await _world.ImportAsync(path);

        Assert.True(preview.IsOk, preview.Message);
        Assert.Equal(2, preview.HeaderRow);
        Assert.Contains(1, preview.Mapping.Columns.Keys);
        Assert.Equal(ContactImportMapping.Phone, preview.Mapping.Columns[1]);
        Assert.Equal("(C)", preview.Headers[2]);
        Assert.Equal(ImportStatus.Completed, import!.Status);
        Assert.Equal(2, import.Created);
        Assert.Equal(1, import.Skipped);
        Assert.Equal(4, import.Rejected);

        await using var db = _world.Database.CreateForTenant(_world.TenantId);
        var contacts = await db.Contacts.Include(c => c.FieldValues).OrderBy(c => c.Phone).ToListAsync();
        Assert.Equal(["+6281234567890", "+6281298765432"], contacts.Select(c => c.Phone));
        Assert.Equal("Andi 😀", contacts[0].Name);
        Assert.Equal("Citra Dewi", contacts[1].Name);
        Assert.Contains(contacts[0].FieldValues, v => v.Value == "1990-05-17");
        Assert.Contains(contacts[0].FieldValues, v => v.Value == "Bandung");

        var errors = await _world.Imports.ErrorsAsync(import.Id, 100);
        Assert.Equal([6, 7, 9, 10], errors.Select(e => e.RowNumber));
        // Kept as codes; read here in the test's (Indonesian) resources.
        var reasons = errors.Select(e => KelolaPesan.Core.Common.ProblemText.Display(e.Reason)!).ToList();
        Assert.Contains(KelolaPesan.Core.Common.ProblemText.Get("Phone_Invalid"), reasons[0]);
        Assert.Contains("1000 karakter", reasons[1]);
        Assert.Contains("bukan angka", reasons[2]);
        Assert.Contains("bukan tanggal", reasons[3]);

        // The rejected rows download as .xlsx with their row numbers and reasons.
        using var report = new MemoryStream();
        Assert.True(await _world.Export.WriteImportErrorsAsync(import.Id, report));
        report.Position = 0;
        using var book = new XLWorkbook(report);
        var sheet = book.Worksheet(1);
        Assert.Equal("Baris", sheet.Cell(1, 1).GetString());
        Assert.Equal("6", sheet.Cell(2, 1).GetString());
        Assert.Equal("Dedi", sheet.Cell(2, 3).GetString());
    }

    [Theory, Providers]
    public async Task Csv_SemicolonWithBom_Imports_AndUpdateModeUpdatesExistingContacts(DatabaseProvider provider)
    {
        _world = await ContactsWorld.CreateAsync(provider);
        var existing = await _world.Contacts.CreateAsync(_world.WorkspaceId, new ContactInput { Name = "Lama", Phone = "081234567890" });
        Assert.True(existing.Succeeded);
        var path = _world.PathFor("kontak.csv");
        await File.WriteAllTextAsync(path, "nama;telepon;email\r\nBaru;081234567890;baru@example.com\r\n\"Sinta; S.\";+62 815 5555 6666;\r\n", new UTF8Encoding(true));

        var (preview, import) = await _world.ImportAsync(path, ImportDuplicateMode.Update);

        Assert.Equal(TableFormat.Csv, preview.Format);
        Assert.Equal((1, 1, 0), (import!.Created, import.Updated, import.Rejected));
        await using var db = _world.Database.CreateForTenant(_world.TenantId);
        Assert.Equal(2, await db.Contacts.CountAsync());
        Assert.Equal("Baru", (await db.Contacts.SingleAsync(c => c.Phone == "+6281234567890")).Name);
        Assert.True(await db.Contacts.AnyAsync(c => c.Name == "Sinta; S." && c.Phone == "+6281555556666"));
    }

    [Theory, Providers]
    public async Task Csv_SkipMode_LeavesExistingContactsAlone(DatabaseProvider provider)
    {
        _world = await ContactsWorld.CreateAsync(provider);
        await _world.Contacts.CreateAsync(_world.WorkspaceId, new ContactInput { Name = "Lama", Phone = "081234567890" });
        var path = _world.PathFor("kontak.csv");
        await File.WriteAllTextAsync(path, "name,phone\nBaru,6281234567890\n");

        var (_, import) = await _world.ImportAsync(path, ImportDuplicateMode.Skip);

        Assert.Equal((0, 1), (import!.Created, import.Skipped));
        await using var db = _world.Database.CreateForTenant(_world.TenantId);
        Assert.Equal("Lama", (await db.Contacts.SingleAsync()).Name);
    }

    [Theory, Providers]
    public async Task NotASpreadsheet_EmptyFile_AndTooLarge_EachGiveAClearResult(DatabaseProvider provider)
    {
        _world = await ContactsWorld.CreateAsync(provider);
        var png = _world.PathFor("foto.xlsx");
        await File.WriteAllBytesAsync(png, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
        var zip = _world.PathFor("arsip.xlsx");
        using (var archive = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Create))
            using (var w = new StreamWriter(archive.CreateEntry("readme.txt").Open()))
                w.Write("not a workbook");
        var empty = _world.PathFor("kosong.csv");
        await File.WriteAllBytesAsync(empty, []);
        var big = _world.PathFor("besar.csv");
        await File.WriteAllTextAsync(big, "name,phone\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"Orang {i},08123456{i:0000}\n")));
        var manyRows = _world.PathFor("banyak.csv");
        await File.WriteAllTextAsync(manyRows, "name,phone\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"Orang {i},08123456{i:0000}\n")));
        await _world.SetImportLimitsAsync(maxBytes: 4096, maxRows: 20);

        var controls = _world.PathFor("bad.xlsx");
        await File.WriteAllBytesAsync(controls, [0x01, 0x02, 0x03, 0x04, 0x05]);
        var (controlsPreview, _) = await _world.ImportAsync(controls);
        Assert.Equal(ImportProblem.NotASpreadsheet, controlsPreview.Problem);
        var (pngPreview, _) = await _world.ImportAsync(png);
        var (zipPreview, _) = await _world.ImportAsync(zip);
        var (emptyPreview, _) = await _world.ImportAsync(empty);
        var (bigPreview, _) = await _world.ImportAsync(big);
        var (_, tooMany) = await _world.ImportAsync(manyRows);

        Assert.Equal(ImportProblem.NotASpreadsheet, pngPreview.Problem);
        Assert.Equal(KelolaPesan.Core.Common.ProblemText.Get("Import_NotASpreadsheet"), pngPreview.Message);
        Assert.Equal(ImportProblem.NotASpreadsheet, zipPreview.Problem);
        Assert.Equal(ImportProblem.EmptyFile, emptyPreview.Problem);
        Assert.Equal(ImportProblem.TooLarge, bigPreview.Problem);
        Assert.Equal(ImportStatus.Failed, tooMany!.Status);
        Assert.StartsWith(KelolaPesan.Core.Common.ProblemText.Get("Import_TooManyRows").Split('{')[0], KelolaPesan.Core.Common.ProblemText.Display(tooMany.Error));
        Assert.Contains("20", KelolaPesan.Core.Common.ProblemText.Display(tooMany.Error));
        await using var db = _world.Database.CreateForTenant(_world.TenantId);
        Assert.Equal(0, await db.Contacts.CountAsync());
    }

    [Theory, Providers]
    public async Task ATierOverride_WithSmallerImportLimits_RefusesFilesTheDefaultWouldAllow(DatabaseProvider provider)
    {
        _world = await ContactsWorld.CreateAsync(provider);
        // The default allows 1 MB and 100 000 rows; the tenant's licence tier (Standard) is limited to 4 KB and 20 rows.
        Guid otherTenant;
        await using (var db = _world.Database.CreateSystem())
        {
            var licenceId = await db.Tenants.Where(t => t.Id == _world.TenantId).Select(t => t.LicenceId).SingleAsync();
            await db.Licences.Where(l => l.Id == licenceId).ExecuteUpdateAsync(s => s.SetProperty(l => l.Tier, PolicyTier.Standard));
            (otherTenant, _) = ContactsWorld.AddTenant(db, "prem");
            await db.SaveChangesAsync();
            var otherLicence = await db.Tenants.Where(t => t.Id == otherTenant).Select(t => t.LicenceId).SingleAsync();
            await db.Licences.Where(l => l.Id == otherLicence).ExecuteUpdateAsync(s => s.SetProperty(l => l.Tier, PolicyTier.Premium));
        }
        await _world.SetImportLimitsAsync(maxBytes: 1024 * 1024, maxRows: 100_000);
        await _world.SetImportLimitsAsync(maxBytes: 4096, maxRows: 20, PolicyTier.Standard);
        var big = _world.PathFor("besar.csv");
        await File.WriteAllTextAsync(big, "name,phone\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"Orang {i},08123456{i:0000}\n")));
        var manyRows = _world.PathFor("banyak.csv");
        await File.WriteAllTextAsync(manyRows, "name,phone\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"Orang {i},08123456{i:0000}\n")));

        Assert.Equal(new ImportLimits(4096, 20), await _world.Imports.GetLimitsAsync(_world.TenantId));
        Assert.Equal(new ImportLimits(4096, 20), await _world.Imports.GetLimitsForWorkspaceAsync(_world.WorkspaceId));
        // A tenant on a tier without an override keeps the default.
        Assert.Equal(new ImportLimits(1024 * 1024, 100_000), await _world.Imports.GetLimitsAsync(otherTenant));

        var (bigPreview, _) = await _world.ImportAsync(big);
        var (_, tooMany) = await _world.ImportAsync(manyRows);
        // The run (the job's path) checks the size again with the tenant's limits, not only the preview.
        var options = new ImportOptions { Mapping = (await _world.Imports.PreviewAsync(_world.WorkspaceId, manyRows, null)).Mapping };
        var queued = await _world.Imports.CreateAsync(_world.WorkspaceId, null, "besar.csv", ImportSource.Csv, options);
        var bigRun = await _world.Imports.RunAsync(_world.TenantId, queued!.Value, big, options);

        Assert.Equal(ImportProblem.TooLarge, bigPreview.Problem);
        Assert.Equal(ImportStatus.Failed, tooMany!.Status);
        Assert.StartsWith(KelolaPesan.Core.Common.ProblemText.Get("Import_TooManyRows").Split('{')[0], KelolaPesan.Core.Common.ProblemText.Display(tooMany.Error));
        Assert.Contains("20", KelolaPesan.Core.Common.ProblemText.Display(tooMany.Error));
        Assert.Equal(ImportStatus.Failed, bigRun.Status);
        Assert.StartsWith(KelolaPesan.Core.Common.ProblemText.Get("Import_TooLarge").Split('{')[0], bigRun.Error);
        await using var check = _world.Database.CreateForTenant(_world.TenantId);
        Assert.Equal(0, await check.Contacts.CountAsync());
    }

    [Theory, Providers]
    public async Task ImportFromChats_CreatesContacts_AndLinksTheChats(DatabaseProvider provider)
    {
        _world = await ContactsWorld.CreateAsync(provider);
        await using (var db = _world.Database.CreateForTenant(_world.TenantId))
        {
            db.Chats.Add(new Core.Inbox.Chat { TenantId = _world.TenantId, WorkspaceId = _world.WorkspaceId, ExternalChatId = "6281211112222@c.us", DisplayName = "Pembeli" });
            db.Chats.Add(new Core.Inbox.Chat { TenantId = _world.TenantId, WorkspaceId = _world.WorkspaceId, ExternalChatId = "1203630@g.us", DisplayName = "Grup" });
            await db.SaveChangesAsync();
        }

        var import = await _world.Imports.ImportFromChatsAsync(_world.WorkspaceId, null);

        Assert.Equal((1, 1), (import!.Created, import.Rejected));
        await using var check = _world.Database.CreateForTenant(_world.TenantId);
        var contact = await check.Contacts.SingleAsync();
        Assert.Equal(("+6281211112222", "Pembeli"), (contact.Phone, contact.Name));
        Assert.Equal(contact.Id, (await check.Chats.SingleAsync(c => c.DisplayName == "Pembeli")).ContactId);
        // The group's row is rejected with codes, not a sentence: the reader sees it in their own language.
        var reason = (await check.ContactImportErrors.SingleAsync()).Reason;
        Assert.Equal("Import_ChatNumberInvalid|Grup" + KelolaPesan.Core.Common.ProblemText.Separator + "Phone_Empty", reason);
        Assert.Equal("Chat 'Grup': Nomor telepon kosong.", InCulture("id", () => KelolaPesan.Core.Common.ProblemText.Display(reason)));
        Assert.Equal("Chat 'Grup': The phone number is empty.", InCulture("en", () => KelolaPesan.Core.Common.ProblemText.Display(reason)));
    }

    private static string? InCulture(string culture, Func<string?> read)
    {
        var (before, beforeUi) = (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture);
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo(culture);
        try
        {
            return read();
        }
        finally
        {
            (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture) = (before, beforeUi);
        }
    }

    private static void SetCachedFormulaValue(string path, string reference, string value)
    {
        using var doc = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(path, true);
        var part = doc.WorkbookPart!.WorksheetParts.First();
        var cell = part.Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Cell>().Single(c => c.CellReference == reference);
        Assert.NotNull(cell.CellFormula);
        cell.DataType = DocumentFormat.OpenXml.Spreadsheet.CellValues.String;
        cell.CellValue = new DocumentFormat.OpenXml.Spreadsheet.CellValue(value);
        part.Worksheet.Save();
    }
}
