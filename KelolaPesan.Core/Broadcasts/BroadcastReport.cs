using ClosedXML.Excel;
using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>The per-recipient report as .xlsx. Fixed column widths: AdjustToContents is slow on big sheets (and needs libgdiplus).</summary>
public sealed class BroadcastReport(IKelolaDbFactory dbFactory)
{
    public static readonly string[] Headers = ["#", "Phone", "Name", "Status", "Gateway id", "Sent at (UTC)", "Error / reason"];

    /// <summary>Writes the report to <paramref name="output"/>; false when the broadcast is not the tenant's.</summary>
    public async Task<bool> WriteAsync(Guid broadcastId, Stream output, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        if (!await db.Broadcasts.AnyAsync(b => b.Id == broadcastId, ct))
            return false;
        using var book = new XLWorkbook();
        var sheet = book.AddWorksheet("Recipients");
        for (var c = 0; c < Headers.Length; c++)
            sheet.Cell(1, c + 1).Value = Headers[c];
        sheet.Row(1).Style.Font.Bold = true;
        var row = 2;
        var last = -1;
        while (true)
        {
            var page = await db.BroadcastRecipients.AsNoTracking().Where(r => r.BroadcastId == broadcastId && r.Sequence > last).OrderBy(r => r.Sequence).Take(5_000)
                .Select(r => new { r.Sequence, r.Phone, r.Name, r.Status, r.ExternalMessageId, r.SentAt, r.Error, r.SkipReason }).ToListAsync(ct);
            if (page.Count == 0)
                break;
            foreach (var r in page)
            {
                sheet.Cell(row, 1).Value = r.Sequence + 1;
                // Numbers as text: a leading + or long digits must not become a number in Excel.
                sheet.Cell(row, 2).SetValue(r.Phone);
                sheet.Cell(row, 3).SetValue(Safe(r.Name));
                sheet.Cell(row, 4).SetValue(r.Status.ToString());
                sheet.Cell(row, 5).SetValue(r.ExternalMessageId ?? "");
                sheet.Cell(row, 6).SetValue(r.SentAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") ?? "");
                sheet.Cell(row, 7).SetValue(Safe(ProblemText.Describe(r.Error) ?? r.SkipReason));
                row++;
            }
            last = page[^1].Sequence;
        }
        double[] widths = [8, 18, 28, 12, 40, 20, 60];
        for (var c = 0; c < widths.Length; c++)
            sheet.Column(c + 1).Width = widths[c];
        book.SaveAs(output);
        return true;
    }

    /// <summary>Cells starting with = + - @ are read as formulas by spreadsheet apps: prefix a quote.</summary>
    private static string Safe(string? value) =>
        string.IsNullOrEmpty(value) ? "" : value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
}
