using System.Globalization;
using System.Text;
using ClosedXML.Excel;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Contacts;

public enum ExportFormat { Xlsx, Csv }

/// <summary>Writes a selection, a list or a segment to .xlsx (typed cells) or .csv (text neutralised against formula injection).</summary>
public sealed class ContactExportService(IKelolaDbFactory dbFactory)
{
    public async Task<int> WriteAsync(Guid workspaceId, ContactSelection selection, ExportFormat format, Stream output, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var fields = await db.CustomFields.AsNoTracking().OrderBy(f => f.SortOrder).ThenBy(f => f.Label).ToListAsync(ct);
        var contacts = await ContactService.SelectAsync(db, workspaceId, selection, ct);
        var rows = await contacts.AsNoTracking().OrderBy(c => c.Name)
            .Select(c => new
            {
                c.Id, c.Name, c.Phone, c.Email, c.GroupId, c.OptedOut, c.LastValidationStatus, c.CreatedAt,
                Fields = db.ContactFieldValues.Where(v => v.ContactId == c.Id).Select(v => new { v.FieldId, v.Value }).ToList(),
            })
            .ToListAsync(ct);
        var zone = await TenantTime.OfWorkspaceAsync(db, workspaceId, ct);
        // The added date goes last: a re-import of the file maps the same columns as before.
        // Headers in the user's language; the import guesses the mapping from either language's names.
        var header = new[] { "Export_Name", "Export_Phone", "Export_Email", "Export_Group", "Export_OptedOut", "Export_WhatsApp" }.Select(ExportText.Get)
            .Concat(fields.Select(f => f.Label)).Append(ExportText.Format("Export_AddedAt", zone.Id)).ToArray();
        var yes = ExportText.Get("Export_Yes");
        var table = rows.Select(r => new object?[] { r.Name, r.Phone, r.Email, r.GroupId, r.OptedOut ? yes : "", ExportText.Of(r.LastValidationStatus) }
            .Concat(fields.Select(f => r.Fields.FirstOrDefault(v => v.FieldId == f.Id)?.Value)).Append(r.CreatedAt).ToArray());
        if (format == ExportFormat.Csv)
            await WriteCsvAsync(header, table, output, ct, zone);
        else
            WriteXlsx(ExportText.Get("Export_SheetContacts"), header, table, output, zone);
        return rows.Count;
    }

    /// <summary>A spreadsheet would run CSV text starting with = + - @ (or tab / CR) as a formula: prefix it with a quote.
    /// Only CSV needs it: an .xlsx cell is typed, and a text cell is never a formula.</summary>
    public static string? Neutralize(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    /// <summary>
    /// CSV, UTF-8 with BOM. A cell may be text, a number or a <see cref="DateTimeOffset"/>; times are written as ISO 8601
    /// with the offset of <paramref name="zone"/> (the tenant's), so a reader never guesses the zone.
    /// </summary>
    public static async Task WriteCsvAsync(IReadOnlyList<string> header, IEnumerable<object?[]> rows, Stream output, CancellationToken ct, TimeZoneInfo? zone = null)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(true), leaveOpen: true);
        await writer.WriteLineAsync(string.Join(',', header.Select(h => Quote(Neutralize(h)))));
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            await writer.WriteLineAsync(string.Join(',', row.Select(v => Quote(CsvText(v, zone)))));
        }
    }

    private static string? CsvText(object? value, TimeZoneInfo? zone) => value switch
    {
        null => null,
        DateTimeOffset at => (zone is null ? at : TimeZoneInfo.ConvertTime(at, zone)).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => Neutralize(value.ToString()),
    };

    private static string Quote(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\r', '\n', ';']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    /// <summary>One sheet in its own workbook; see <see cref="AddSheet"/>.</summary>
    public static void WriteXlsx(string sheetName, IReadOnlyList<string> header, IEnumerable<object?[]> rows, Stream output, TimeZoneInfo? zone = null)
    {
        using var workbook = new XLWorkbook();
        AddSheet(workbook, sheetName, header, rows, zone);
        workbook.SaveAs(output);
    }

    /// <summary>
    /// A sheet of typed cells: text stays text (a phone never becomes a number, and text is never run as a formula, so
    /// no quote is needed), numbers are numbers, and a <see cref="DateTimeOffset"/> is a real date cell holding the time
    /// in <paramref name="zone"/> (a spreadsheet date has no zone: the header names it). Fixed widths: AdjustToContents
    /// needs libgdiplus and is slow on big sheets.
    /// </summary>
    public static IXLWorksheet AddSheet(XLWorkbook workbook, string sheetName, IReadOnlyList<string> header, IEnumerable<object?[]> rows, TimeZoneInfo? zone = null)
    {
        var sheet = workbook.AddWorksheet(sheetName);
        for (var c = 0; c < header.Count; c++)
        {
            sheet.Cell(1, c + 1).SetValue(header[c] ?? "");
            sheet.Column(c + 1).Width = c == 0 ? 30 : 20;
        }
        sheet.Row(1).Style.Font.Bold = true;
        var r = 2;
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++)
                SetCell(sheet.Cell(r, c + 1), row[c], zone);
            r++;
        }
        sheet.SheetView.FreezeRows(1);
        return sheet;
    }

    public const string DateTimeNumberFormat = "yyyy-mm-dd hh:mm:ss";

    public static void SetCell(IXLCell cell, object? value, TimeZoneInfo? zone)
    {
        switch (value)
        {
            case null:
                break;
            case DateTimeOffset at:
                cell.SetValue((zone is null ? at.UtcDateTime : TimeZoneInfo.ConvertTime(at, zone).DateTime));
                cell.Style.NumberFormat.Format = DateTimeNumberFormat;
                break;
            case int or long or double or decimal:
                cell.SetValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            default:
                cell.SetValue(value.ToString());
                break;
        }
    }

    /// <summary>
    /// The rows of an import the user gets back: the rejected ones (row number, reason, then the row under the file's
    /// own headers) for fixing and re-importing, and on a second sheet the duplicates that were skipped.
    /// </summary>
    public async Task<bool> WriteImportErrorsAsync(Guid importId, Stream output, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var import = await db.ContactImports.AsNoTracking().Where(i => i.Id == importId).Select(i => new { i.Headers }).FirstOrDefaultAsync(ct);
        if (import is null)
            return false;
        var rows = await db.ContactImportErrors.AsNoTracking().Where(e => e.ImportId == importId).OrderBy(e => e.RowNumber).ToListAsync(ct);
        var fileHeaders = System.Text.Json.JsonSerializer.Deserialize<string?[]>(import.Headers ?? "[]") ?? [];
        var raw = rows.Select(e => System.Text.Json.JsonSerializer.Deserialize<string?[]>(e.RawValues ?? "[]") ?? []).ToList();
        var width = Math.Max(fileHeaders.Length, raw.Count == 0 ? 0 : raw.Max(r => r.Length));
        // A blank header cell (a merged title, a column without a name) is named by its letter, as the mapping step showed it.
        var header = new[] { ExportText.Get("Export_Row"), ExportText.Get("Export_Reason") }.Concat(Enumerable.Range(0, width).Select(i =>
            i < fileHeaders.Length && !string.IsNullOrWhiteSpace(fileHeaders[i]) ? fileHeaders[i]!.Trim() : Import.ContactImportService.ColumnName(i))).ToArray();
        IEnumerable<object?[]> Sheet(ImportRowOutcome outcome) => rows.Select((e, i) => (e, i)).Where(x => x.e.Outcome == outcome)
            .Select(x => new object?[] { x.e.RowNumber, ProblemText.Describe(x.e.Reason) }.Concat(raw[x.i]).ToArray());
        using var workbook = new XLWorkbook();
        AddSheet(workbook, ExportText.Get("Export_SheetRejected"), header, Sheet(ImportRowOutcome.Rejected));
        if (rows.Any(e => e.Outcome == ImportRowOutcome.Skipped))
            AddSheet(workbook, ExportText.Get("Export_SheetSkipped"), header, Sheet(ImportRowOutcome.Skipped));
        workbook.SaveAs(output);
        return true;
    }
}
