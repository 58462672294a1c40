using System.Diagnostics;
using System.Globalization;
using ClosedXML.Excel;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Contacts.Import;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;

namespace KelolaPesan.Bench.Scenarios;

/// <summary>
/// End-to-end import of a generated .xlsx (N rows x 6 columns: name, phone stored as a number, email, city,
/// date, note) into a fresh database (SQLite, or PostgreSQL with --provider Postgres), then ClosedXML's plain full read of the same file as the floor.
/// Peak memory is the process peak working set right after each phase (the import runs first).
/// </summary>
public sealed class ImportXlsxScenario : IScenario
{
    public string Name => "import-xlsx";
    public string Description => "[--rows N] [--provider Sqlite|Postgres]: end-to-end xlsx import time and peak memory vs ClosedXML full read";

    public async Task<int> RunAsync(string[] args)
    {
        var rowsAt = Array.IndexOf(args, "--rows");
        var rows = rowsAt >= 0 && rowsAt + 1 < args.Length ? int.Parse(args[rowsAt + 1], CultureInfo.InvariantCulture) : 100_000;
        await using var database = await BenchDatabase.CreateAsync(args);
        Console.WriteLine($"import-xlsx: {database.Describe()}");
        var path = Path.Combine(database.Folder, "contacts.xlsx");
        var generate = Stopwatch.StartNew();
        Generate(path, rows);
        Console.WriteLine($"generated {rows:N0} rows, {new FileInfo(path).Length / 1024.0 / 1024.0:F1} MiB in {generate.Elapsed.TotalSeconds:F2} s");

        var tenant = new TenantContext();
        Guid tenantId, workspaceId;
        await using (var db = database.Activator.Create(SystemTenant.Instance))
        {
            var licence = new Licence { Name = "bench", CodePrefix = "KPBENCH", CodeHash = new byte[32] };
            var t = new Tenant { Name = "bench", LicenceId = licence.Id };
            var ws = new Workspace { TenantId = t.Id, Name = "bench" };
            db.AddRange(licence, t, ws);
            db.Policies.Add(new Core.Admin.PolicySettings { MaxImportBytes = 200L * 1024 * 1024, MaxImportRows = Math.Max(rows, 100_000) });
            await db.SaveChangesAsync();
            (tenantId, workspaceId) = (t.Id, ws.Id);
        }
        tenant.SetTenant(tenantId);
        var factory = new KelolaDbFactory(database.Activator, tenant);
        var service = new ContactImportService(factory, new KelolaPesan.Data.Common.RelationalBulkInserter(), new NoBus(), TimeProvider.System,
            new Core.Admin.PolicyService(factory, new Core.Audit.AuditLog(factory, TimeProvider.System)));

        // Where the time goes: the streamed read alone, and read + validate + normalise without the database.
        var readOnly = Stopwatch.StartNew();
        var reader = TableFiles.Open(path).Reader!;
        var readRows = reader.ReadRows(null).Count();
        readOnly.Stop();
        var validate = Stopwatch.StartNew();
        var validator = new ContactInputValidator(new ContactValidationContext("ID", []));
        var valid = 0;
        foreach (var row in reader.ReadRows(null).Skip(1))
            if (validator.Validate(new ContactInput { Name = row[0] ?? "", Phone = row[1] ?? "", Email = row[2] }).IsValid && PhoneNormalizer.Normalize(row[1], "ID").IsValid)
                valid++;
        validate.Stop();
        Console.WriteLine($"SAX read alone: {readRows:N0} rows in {readOnly.Elapsed.TotalSeconds:F2} s; read + validate + normalise: {valid:N0} in {validate.Elapsed.TotalSeconds:F2} s");

        // The import's own peak: generating the file and the reads above held more (the generator keeps every string).
        var reset = PeakMemory.Reset();
        var before = PeakMemory.WorkingSetMiB();
        var import = Stopwatch.StartNew();
        var preview = await service.PreviewAsync(workspaceId, path, null);
        var options = new ImportOptions { Sheet = preview.Sheet, HeaderRow = preview.HeaderRow, Mapping = preview.Mapping };
        var id = await service.CreateAsync(workspaceId, null, "contacts.xlsx", ImportSource.Xlsx, options);
        var result = await service.RunAsync(tenantId, id!.Value, path, options);
        import.Stop();
        var importPeak = PeakMemory.PeakMiB();
        Console.WriteLine($"import: {result.Status} {result.Created:N0} created, {result.Rejected:N0} rejected in {import.Elapsed.TotalSeconds:F2} s " +
                          $"({rows / import.Elapsed.TotalSeconds:F0} rows/s); peak working set {importPeak:F0} MiB (before {before:F0} MiB{(reset ? "" : "; peak not reset, includes generation")})");

        // ClosedXML loads the whole workbook: past 200,000 rows it needs gigabytes, so the floor is left out there.
        var closedSeconds = double.NaN;
        if (rows <= 200_000 || args.Contains("--closedxml"))
        {
            PeakMemory.Reset();
            var closed = Stopwatch.StartNew();
            long cells = 0;
            using (var book = new XLWorkbook(path))
                foreach (var row in book.Worksheet(1).RowsUsed())
                    foreach (var cell in row.CellsUsed())
                    {
                        _ = cell.GetString();
                        cells++;
                    }
            closed.Stop();
            closedSeconds = closed.Elapsed.TotalSeconds;
            Console.WriteLine($"ClosedXML full read: {cells:N0} cells in {closedSeconds:F2} s; its peak {PeakMemory.PeakMiB():F0} MiB");
        }
        else
            Console.WriteLine("ClosedXML full read: skipped above 200,000 rows (it holds the whole sheet; --closedxml to force)");

        var ok = result.Status == ImportStatus.Completed && result.Created == rows;
        Console.WriteLine(FormattableString.Invariant($"RESULT {Name} provider={database.Provider} rows={rows} import_s={import.Elapsed.TotalSeconds:F2} import_peak_mib={importPeak:F0} ") +
                          FormattableString.Invariant($"closedxml_read_s={closedSeconds:F2} ratio={import.Elapsed.TotalSeconds / closedSeconds:F2} ") +
                          $"created={result.Created} ok={(ok ? 1 : 0)}");
        return ok ? 0 : 1;
    }

    /// <summary>Written with the SAX writer (shared strings, number phones, date serials) so generating costs little memory.</summary>
    private static void Generate(string path, int rows)
    {
        using var doc = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var workbookPart = doc.AddWorkbookPart();
        var sheetPart = workbookPart.AddNewPart<WorksheetPart>();
        var strings = new List<string>();
        string[] cities = ["Jakarta", "Bandung", "Surabaya", "Medan", "Makassar", "Denpasar"];
        using (var writer = OpenXmlWriter.Create(sheetPart))
        {
            writer.WriteStartElement(new Worksheet());
            writer.WriteElement(new SheetDimension { Reference = $"A1:F{rows + 1}" });
            writer.WriteStartElement(new SheetData());
            WriteRow(writer, 1, ["Nama", "No HP", "Email", "Kota", "Tanggal", "Catatan"], strings, null, null);
            var start = new DateTime(2020, 1, 1);
            for (var i = 0; i < rows; i++)
            {
                var phone = (81_200_000_000L + i).ToString(CultureInfo.InvariantCulture);
                WriteRow(writer, i + 2, [$"Pelanggan {i}", null, $"p{i}@contoh.id", cities[i % cities.Length], null, $"catatan {i % 100}"], strings,
                    phone, start.AddDays(i % 1500).ToOADate().ToString(CultureInfo.InvariantCulture));
            }
            writer.WriteEndElement();
            writer.WriteEndElement();
        }
        var shared = workbookPart.AddNewPart<SharedStringTablePart>();
        using (var writer = OpenXmlWriter.Create(shared))
        {
            writer.WriteStartElement(new SharedStringTable());
            foreach (var s in strings)
                writer.WriteElement(new SharedStringItem(new Text(s)));
            writer.WriteEndElement();
        }
        var styles = workbookPart.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = new Stylesheet(
            new Fonts(new Font()), new Fills(new Fill()), new Borders(new Border()),
            new CellFormats(new CellFormat(), new CellFormat { NumberFormatId = 14, ApplyNumberFormat = true }));
        workbookPart.Workbook = new Workbook(new Sheets(new Sheet { Name = "Kontak", SheetId = 1, Id = workbookPart.GetIdOfPart(sheetPart) }));
    }

    private static void WriteRow(OpenXmlWriter writer, int r, string?[] texts, List<string> strings, string? phone, string? date)
    {
        writer.WriteStartElement(new Row { RowIndex = (uint)r });
        for (var c = 0; c < texts.Length; c++)
        {
            var reference = (char)('A' + c) + r.ToString(CultureInfo.InvariantCulture);
            if (texts[c] is { } text)
            {
                strings.Add(text);
                writer.WriteElement(new Cell { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue((strings.Count - 1).ToString(CultureInfo.InvariantCulture)) });
            }
            else if (c == 1 && phone is not null)
                writer.WriteElement(new Cell { CellReference = reference, CellValue = new CellValue(phone) });
            else if (c == 4 && date is not null)
                writer.WriteElement(new Cell { CellReference = reference, StyleIndex = 1, CellValue = new CellValue(date) });
        }
        writer.WriteEndElement();
    }

    private sealed class NoBus : IRealtimeBus
    {
        public IDisposable Subscribe(string topic, Func<RealtimeEvent, Task> handler) => throw new NotSupportedException();
        public Task PublishAsync(string topic, RealtimeEvent evt) => Task.CompletedTask;
    }
}
