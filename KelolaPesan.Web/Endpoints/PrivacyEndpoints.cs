using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Privacy;
using KelolaPesan.Web.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KelolaPesan.Web;

/// <summary>The owner's export download: owner role, the tenant filter makes another tenant's (or an expired) export a 404.</summary>
public static class PrivacyEndpoints
{
    public const string DownloadPath = "/settings/privacy/exports";

    public static string DownloadUrl(Guid exportId) => $"{DownloadPath}/{exportId}/download";

    public static IEndpointRouteBuilder MapPrivacyApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(DownloadPath + "/{exportId:guid}/download", DownloadAsync).RequireAuthorization(p => p.RequireRole(Roles.Owner));
        return app;
    }

    private static async Task<Results<FileStreamHttpResult, NotFound>> DownloadAsync(Guid exportId, DataExportService exports, CurrentUser user,
        HttpContext http, CancellationToken ct)
    {
        var actor = new AuditActor(AuditActorType.User, user.UserId, user.DisplayName, http.Connection.RemoteIpAddress?.ToString());
        return await exports.OpenAsync(exportId, actor, ct) is { } download
            ? TypedResults.File(download.Content, "application/zip", download.FileName)
            : TypedResults.NotFound();
    }
}
