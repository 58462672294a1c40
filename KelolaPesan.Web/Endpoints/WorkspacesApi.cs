using KelolaPesan.Core.ExternalApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KelolaPesan.Web.Endpoints;

public static class WorkspacesApi
{
    public static RouteGroupBuilder MapWorkspacesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/workspaces", ListAsync).WithTags("Workspaces").WithName("ListWorkspaces")
            .WithSummary("The workspaces this key may use, with their WhatsApp connection status");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<ApiWorkspaceView>>> ListAsync(HttpContext http, ApiDirectory directory, CancellationToken ct) =>
        TypedResults.Ok(await directory.WorkspacesAsync(http.ApiCaller(), ct));
}
