using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Broadcasts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KelolaPesan.Web;

/// <summary>The per-recipient report of a broadcast; the tenant filter makes another tenant's id a 404.</summary>
public static class BroadcastsEndpoints
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static IEndpointRouteBuilder MapBroadcastsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/broadcasts/{broadcastId:guid}/report.xlsx", ReportAsync).RequireAuthorization(p => p.RequireRole(Roles.Managers.Split(',')));
        return app;
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> ReportAsync(BroadcastReport report, Guid broadcastId, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        return await report.WriteAsync(broadcastId, buffer, ct)
            ? TypedResults.File(buffer.ToArray(), Xlsx, $"broadcast-{broadcastId:N}.xlsx")
            : TypedResults.NotFound();
    }
}
