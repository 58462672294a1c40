using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace KelolaPesan.Web;

/// <summary>Downloads of contacts, import reports and validation results; the tenant filter makes another tenant's ids 404.</summary>
public static class ContactsEndpoints
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static IEndpointRouteBuilder MapContactsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/contacts/download").RequireAuthorization(p => p.RequireRole(Roles.Owner, Roles.Manager));
        group.MapGet("/export", ExportAsync);
        group.MapGet("/imports/{importId:guid}/rejected", ImportErrorsAsync);
        group.MapGet("/validation/{jobId:guid}", ValidationAsync);
        return app;
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> ExportAsync(
        ContactService contacts, ContactExportService export, SegmentService segments, IKelolaDbFactory dbFactory, TimeProvider clock, Guid workspaceId, string? format,
        Guid? listId, Guid? segmentId, [FromQuery] Guid[]? ids, string? search, CancellationToken ct)
    {
        if (await contacts.GetWorkspaceAsync(workspaceId, ct) is null)
            return TypedResults.NotFound();
        ContactSelection selection;
        if (ids is { Length: > 0 })
            selection = ContactSelection.Of(ids);
        else if (segmentId is { } sid)
        {
            if (await segments.GetAsync(sid, ct) is not { } segment || segment.WorkspaceId != workspaceId)
                return TypedResults.NotFound();
            selection = ContactSelection.All(ContactFilter.FromJson(segment.FilterJson));
        }
        else
            selection = ContactSelection.All(new ContactFilter { Search = search, ListIds = listId is { } l ? [l] : [] });
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        using var buffer = new MemoryStream();
        await export.WriteAsync(workspaceId, selection, csv ? ExportFormat.Csv : ExportFormat.Xlsx, buffer, ct);
        // Named by the tenant's clock, as every time in the file is.
        await using var db = await dbFactory.CreateAsync(ct);
        var local = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), await TenantTime.OfWorkspaceAsync(db, workspaceId, ct));
        return TypedResults.File(buffer.ToArray(), csv ? "text/csv" : Xlsx, $"kontak-{local:yyyyMMdd-HHmm}.{(csv ? "csv" : "xlsx")}");
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> ImportErrorsAsync(ContactExportService export, Guid importId, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        return await export.WriteImportErrorsAsync(importId, buffer, ct)
            ? TypedResults.File(buffer.ToArray(), Xlsx, $"baris-ditolak-{importId:N}.xlsx")
            : TypedResults.NotFound();
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> ValidationAsync(NumberValidationService validation, Guid jobId, string? format, CancellationToken ct)
    {
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        using var buffer = new MemoryStream();
        return await validation.ExportAsync(jobId, csv ? ExportFormat.Csv : ExportFormat.Xlsx, buffer, ct)
            ? TypedResults.File(buffer.ToArray(), csv ? "text/csv" : Xlsx, $"validasi-{jobId:N}.{(csv ? "csv" : "xlsx")}")
            : TypedResults.NotFound();
    }
}
