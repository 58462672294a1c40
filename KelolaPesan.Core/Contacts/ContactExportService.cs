using System.Text;
using ClosedXML.Excel;
using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Contacts;

public enum ExportFormat { Xlsx, Csv }

/// <summary>Writes a selection, a list or a segment to .xlsx or .csv, every text cell neutralised against formula injection.</summary>
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
                c.Id, c.Name, c.Phone, c.Email, c.GroupId, c.OptedOut, c.LastValidationStatus,
                Fields = db.ContactFieldValues.Where(v => v.ContactId == c.Id).Select(v => new { v.FieldId, v.Value }).ToList(),
            })
            .ToListAsync(ct);
        var header = new[] { "Name", "Phone", "Email", "Group", "Opted out", "WhatsApp" }.Concat(fields.Select(f => f.Label)).ToArray();
        var table = rows.Select(r => new[] { r.Name, r.Phone, r.Email, r.GroupId, r.OptedOut ? "yes" : "", r.LastValidationStatus?.ToString() }
            .Concat(fields.Select(f => r.Fields.FirstOrDefault(v => v.FieldId == f.Id)?.Value)).ToArray());
        if (format == ExportFormat.Csv)
            await WriteCsvAsync(header, table, output, ct);
        else
            WriteXlsx("Contacts", header, table, output);
        return rows.Count;
    }

    /// <summary>A spreadsheet would run text starting with = + - @ (or tab / CR) as a formula: prefix it with a quote.</summary>
    public static string? Neutralize(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    public static async Task WriteCsvAsync(IReadOnlyList<string> header, IEnumerable<string?[]> rows, Stream output, CancellationToken ct)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(true), leaveOpen: true);
        await writer.WriteLineAsync(string.Join(',', header.Select(h => Quote(Neutralize(h)))));
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            await writer.WriteLineAsync(string.Join(',', row.Select(v => Quote(Neutralize(v)))));
        }
    }

    private static string Quote(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\r', '\n', ';']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    /// <summary>ClosedXML with fixed widths: AdjustToContents needs libgdiplus and is slow on big sheets.</summary>
    public static void WriteXlsx(string sheetName, IReadOnlyList<string> header, IEnumerable<string?[]> rows, Stream output)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.AddWorksheet(sheetName);
        for (var c = 0; c < header.Count; c++)
        {
            sheet.Cell(1, c + 1).SetValue(Neutralize(header[c]) ?? "");
            sheet.Column(c + 1).Width = c == 0 ? 30 : 20;
        }
        sheet.Row(1).Style.Font.Bold = true;
        var r = 2;
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++)
                if (row[c] is { } value)
                    // SetValue of a string keeps it text (a phone never becomes a number); the quote stops formulas.
                    sheet.Cell(r, c + 1).SetValue(Neutralize(value));
            r++;
        }
        sheet.SheetView.FreezeRows(1);
        workbook.SaveAs(output);
    }

    /// <summary>The rejected rows of an import with their row number and reason, for the user to fix and re-import.</summary>
    public async Task<bool> WriteImportErrorsAsync(Guid importId, Stream output, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        if (!await db.ContactImports.AnyAsync(i => i.Id == importId, ct))
            return false;
        var errors = await db.ContactImportErrors.AsNoTracking().Where(e => e.ImportId == importId).OrderBy(e => e.RowNumber).ToListAsync(ct);
        var raw = errors.Select(e => System.Text.Json.JsonSerializer.Deserialize<string?[]>(e.RawValues ?? "[]") ?? []).ToList();
        var width = raw.Count == 0 ? 0 : raw.Max(r => r.Length);
        var header = new[] { "Row", "Reason" }.Concat(Enumerable.Range(0, width).Select(i => Import.ContactImportService.ColumnName(i))).ToArray();
        WriteXlsx("Rejected rows", header, errors.Select((e, i) => new[] { e.RowNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Reason }.Concat(raw[i]).ToArray()), output);
        return true;
    }
}
