using ClosedXML.Excel;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>The per-recipient report as .xlsx. Fixed column widths: AdjustToContents is slow on big sheets (and needs libgdiplus).</summary>
public sealed class BroadcastReport(IKelolaDbFactory dbFactory)
{
    /// <summary>The columns; the sent time is a date cell in the tenant's zone, which its header names.</summary>
    public static string[] Headers(TimeZoneInfo zone) =>
        ["#", ExportText.Get("Export_Phone"), ExportText.Get("Export_Name"), ExportText.Get("Export_Status"), ExportText.Get("Export_GatewayId"),
            ExportText.Format("Export_SentAt", zone.Id), ExportText.Get("Export_ErrorOrReason")];

    /// <summary>Writes the report to <paramref name="output"/>; false when the broadcast is not the tenant's.</summary>
    public async Task<bool> WriteAsync(Guid broadcastId, Stream output, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var workspaceId = await db.Broadcasts.Where(b => b.Id == broadcastId).Select(b => (Guid?)b.WorkspaceId).FirstOrDefaultAsync(ct);
        if (workspaceId is null)
            return false;
        var zone = await TenantTime.OfWorkspaceAsync(db, workspaceId.Value, ct);
        var headers = Headers(zone);
        using var book = new XLWorkbook();
        var sheet = book.AddWorksheet(ExportText.Get("Export_SheetRecipients"));
        for (var c = 0; c < headers.Length; c++)
            sheet.Cell(1, c + 1).Value = headers[c];
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
                // Typed cells: phones and names are text (never a number, never a formula, no quote needed), the time a date.
                object?[] cells = [r.Sequence + 1, r.Phone, r.Name, Status(r.Status, r.SkipReason), r.ExternalMessageId, r.SentAt, ProblemText.Describe(r.Error) ?? ProblemText.Describe(r.SkipReason)];
                for (var c = 0; c < cells.Length; c++)
                    ContactExportService.SetCell(sheet.Cell(row, c + 1), cells[c], zone);
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

    /// <summary>A recipient the cancel took out of the queue is stored as skipped, but reads as cancelled, as on the page.</summary>
    public static string Status(RecipientStatus status, string? skipReason) =>
        status == RecipientStatus.Skipped && skipReason == BroadcastAudience.ReasonCancelled ? ExportText.Get("Export_RecipientCancelled") : ExportText.Of(status);
}
