using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Contacts.Import;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Contacts;

/// <summary>
/// A small .xlsx that unzips to one enormous string must be refused at bounded cost: the import service (real SQLite,
/// the same preview and run the upload page uses) answers a clear problem, and the process grows by less than 100 MB.
/// </summary>
public sealed class HostileSpreadsheetTests : IAsyncLifetime
{
    private const int HugeCharacters = 150_000_000; // 150 M characters: ~300 MB as a .NET string, ~150 KB zipped
    private ContactsWorld _world = null!;

    public async Task InitializeAsync() => _world = await ContactsWorld.CreateAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Theory]
    [InlineData("shared")]
    [InlineData("inline")]
    [InlineData("value")]
    public async Task OneHugeString_IsRefusedWithAClearProblem_AtBoundedMemory(string where)
    {
        var path = _world.PathFor($"bom-{where}.xlsx");
        WriteHostileWorkbook(path, where);
        Assert.True(new FileInfo(path).Length < 1024 * 1024, $"{new FileInfo(path).Length} bytes");

        var before = WorkingSet();
        var (preview, import) = await _world.ImportAsync(path);
        var growth = WorkingSet() - before;

        Assert.Null(import);
        Assert.Equal(ImportProblem.TooMuchText, preview.Problem);
        Assert.Contains("more text", preview.Message);
        Assert.True(growth < 100L * 1024 * 1024, $"working set grew by {growth / 1024 / 1024} MB");
        await using var db = _world.Database.CreateForTenant(_world.TenantId);
        Assert.Equal(0, await db.Contacts.CountAsync());
    }

    [Fact]
    public async Task ANormalWorkbook_StillImports()
    {
        var path = _world.PathFor("biasa.xlsx");
        using (var wb = new ClosedXML.Excel.XLWorkbook())
        {
            var ws = wb.AddWorksheet("Data");
            ws.Cell(1, 1).Value = "Nama";
            ws.Cell(1, 2).Value = "No HP";
            ws.Cell(2, 1).Value = new string('x', TableFiles.MaxCellLength - 10) + "ü";
            ws.Cell(2, 2).SetValue("081234567891");
            wb.SaveAs(path);
        }
        var (preview, import) = await _world.ImportAsync(path);
        Assert.True(preview.IsOk, preview.Message);
        Assert.Equal(ImportStatus.Completed, import!.Status);
    }

    private static long WorkingSet()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>A minimal, valid workbook whose one string is <see cref="HugeCharacters"/> long, written as it is zipped.</summary>
    private static void WriteHostileWorkbook(string path, string where)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        void Entry(string name, string xml)
        {
            using var w = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Optimal).Open(), new UTF8Encoding(false));
            w.Write(xml);
        }
        void HugeEntry(string name, string head, string tail)
        {
            using var w = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Optimal).Open(), new UTF8Encoding(false));
            w.Write(head);
            var chunk = new string('a', 1 << 20);
            for (var written = 0; written < HugeCharacters; written += chunk.Length)
                w.Write(chunk);
            w.Write(tail);
        }

        Entry("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
            <Default Extension="xml" ContentType="application/xml"/>
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
            <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
            <Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
            </Types>
            """);
        Entry("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
            </Relationships>
            """);
        Entry("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
            <sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets>
            </workbook>
            """);
        Entry("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
            </Relationships>
            """);
        const string sheetHead = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""";
        const string header = """<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>""";
        const string sheetTail = "</sheetData></worksheet>";
        const string stringsHead = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Nama</t></si><si><t>No HP</t></si>""";
        switch (where)
        {
            case "shared":
                Entry("xl/worksheets/sheet1.xml", sheetHead + header + """<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>81234567891</v></c></row>""" + sheetTail);
                HugeEntry("xl/sharedStrings.xml", stringsHead + "<si><t>", "</t></si></sst>");
                break;
            case "inline":
                Entry("xl/sharedStrings.xml", stringsHead + "</sst>");
                HugeEntry("xl/worksheets/sheet1.xml", sheetHead + header + """<row r="2"><c r="A2" t="inlineStr"><is><t>""", """</t></is></c></row>""" + sheetTail);
                break;
            default:
                Entry("xl/sharedStrings.xml", stringsHead + "</sst>");
                HugeEntry("xl/worksheets/sheet1.xml", sheetHead + header + """<row r="2"><c r="A2" t="str"><v>""", """</v></c></row>""" + sheetTail);
                break;
        }
    }
}
