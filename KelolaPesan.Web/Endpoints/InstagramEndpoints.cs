using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Instagram;
using KelolaPesan.Core.Privacy;
using KelolaPesan.Web.Accounts;
using KelolaPesan.Web.Instagram;
using KelolaPesan.Web.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace KelolaPesan.Web.Endpoints;

/// <summary>
/// Business Login (connect redirect and callback, owners and managers only) and Meta's signed callbacks
/// (deauthorize, data deletion: anonymous, verified by <c>signed_request</c>, no antiforgery).
/// </summary>
public static class InstagramEndpoints
{
    public const string ConnectPath = "/instagram/connect";
    public const string CallbackPath = "/instagram/callback";

    private const string Malformed = "signed_request is missing or malformed.";

    public static string ConnectUrl(Guid workspaceId) => $"{ConnectPath}?workspace={workspaceId}";

    /// <summary>Where the callback sends the browser back, with a <c>result</c> the page explains.</summary>
    public static string PageUrl(string result, Guid? workspaceId = null) =>
        $"/instagram?result={result}" + (workspaceId is { } id ? $"&workspace={id}" : "");

    public static IEndpointRouteBuilder MapInstagramEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(ConnectPath, ConnectAsync).RequireAuthorization(p => p.RequireRole(Roles.Owner, Roles.Manager));
        app.MapGet(CallbackPath, CallbackAsync).RequireAuthorization(p => p.RequireRole(Roles.Owner, Roles.Manager));
        // Meta fetches the files of our DMs here, without a sign-in: the signed token is the permission (InstagramMediaLinks).
        app.MapGet(InstagramMediaLinks.Path + "/{token}/{name}", MediaAsync).AllowAnonymous();
        app.MapPost("/meta/deauthorize", DeauthorizeAsync).AllowAnonymous().DisableAntiforgery();
        app.MapPost("/meta/data-deletion", DataDeletionAsync).AllowAnonymous().DisableAntiforgery();
        return app;
    }

    private static async Task<Results<RedirectHttpResult, NotFound>> ConnectAsync(Guid? workspace, InstagramAccountService accounts, IInstagramGraph graph,
        InstagramConnectState states, CurrentUser user, IOptions<InstagramOptions> options, HttpRequest request, CancellationToken ct)
    {
        if (workspace is not { } workspaceId || user.TenantId is not { } tenantId || !await accounts.WorkspaceExistsAsync(workspaceId, ct))
            return TypedResults.NotFound();
        if (!options.Value.IsConfigured)
            return TypedResults.Redirect(PageUrl("not-configured", workspaceId));
        var state = states.Create(new InstagramConnectTicket(tenantId, workspaceId, user.UserId));
        return TypedResults.Redirect(graph.AuthorizeUrl(state, RedirectUri(options.Value, request)));
    }

    private static async Task<RedirectHttpResult> CallbackAsync(string? code, string? state, string? error, InstagramAccountService accounts,
        InstagramConnectState states, CurrentUser user, IOptions<InstagramOptions> options, HttpContext http, CancellationToken ct)
    {
        // Nothing is stored unless the state is intact, fresh, and was issued to this very user.
        var ticket = states.Read(state);
        if (ticket is null || ticket.TenantId != user.TenantId || ticket.UserId != user.UserId)
            return TypedResults.Redirect(PageUrl("state-invalid"));
        if (!string.IsNullOrEmpty(error) || string.IsNullOrWhiteSpace(code))
            return TypedResults.Redirect(PageUrl("denied", ticket.WorkspaceId));

        var actor = new AuditActor(AuditActorType.User, user.UserId, user.DisplayName, http.Connection.RemoteIpAddress?.ToString());
        var result = await accounts.ConnectAsync(ticket.WorkspaceId, code, RedirectUri(options.Value, http.Request), actor, ct);
        return TypedResults.Redirect(PageUrl(result.Error switch
        {
            InstagramConnectError.None => "connected",
            InstagramConnectError.WorkspaceNotFound => "state-invalid",
            InstagramConnectError.NotConfigured => "not-configured",
            InstagramConnectError.ConnectedElsewhere => "connected-elsewhere",
            _ => "connect-failed",
        }, ticket.WorkspaceId));
    }

    private static async Task<Results<FileStreamHttpResult, NotFound>> MediaAsync(string token, InstagramMediaLinks links, HttpContext context,
        CancellationToken ct)
    {
        if (await links.OpenAsync(token, ct) is not var (attachment, content))
            return TypedResults.NotFound();
        var headers = context.Response.Headers;
        headers.ContentDisposition = AttachmentsEndpoints.ContentDisposition(inline: false, attachment.OriginalFileName);
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        headers.CacheControl = "private, no-store";
        return TypedResults.Stream(content, attachment.MimeType, enableRangeProcessing: true);
    }

    /// <summary>
    /// The token is dropped and the subscription ended at once; the account's data (profile, media, comments, automations,
    /// replies, Instagram chats) is then erased by the same deletion job as Meta's data deletion callback (docs/privacy-map.md).
    /// </summary>
    private static async Task<Results<Ok, BadRequest<string>, UnauthorizedHttpResult>> DeauthorizeAsync(HttpRequest request,
        InstagramAccountService accounts, DataDeletionService deletions, PrivacyJobScheduler jobs, IOptions<InstagramOptions> options, CancellationToken ct)
    {
        var signed = await ReadSignedRequestAsync(request, options.Value, ct);
        if (signed.Payload is not { } payload)
            return signed.Status == MetaSignedRequest.Status.BadSignature ? TypedResults.Unauthorized() : TypedResults.BadRequest(Malformed);
        await accounts.DeauthorizeAsync(payload.UserId, ct);
        var deletion = await deletions.RequestInstagramUserAsync(payload.UserId, new AuditActor(AuditActorType.System, null, "meta"), ct);
        await jobs.ScheduleDeletionAsync(deletion.Id, ct);
        return TypedResults.Ok();
    }

    private static async Task<Results<Ok<DataDeletionAnswer>, BadRequest<string>, UnauthorizedHttpResult>> DataDeletionAsync(HttpRequest request,
        DataDeletionService deletions, PrivacyJobScheduler jobs, IOptions<InstagramOptions> options, CancellationToken ct)
    {
        var signed = await ReadSignedRequestAsync(request, options.Value, ct);
        if (signed.Payload is not { } payload)
            return signed.Status == MetaSignedRequest.Status.BadSignature ? TypedResults.Unauthorized() : TypedResults.BadRequest(Malformed);
        var deletion = await deletions.RequestInstagramUserAsync(payload.UserId, new AuditActor(AuditActorType.System, null, "meta"), ct);
        await jobs.ScheduleDeletionAsync(deletion.Id, ct);
        var url = $"{request.Scheme}://{request.Host}{request.PathBase}/data-deletion?code={deletion.ConfirmationCode}";
        return TypedResults.Ok(new DataDeletionAnswer(url, deletion.ConfirmationCode));
    }

    /// <summary>Malformed when the form or its <c>signed_request</c> is missing or malformed; nothing is changed unless valid.</summary>
    private static async Task<MetaSignedRequest.Result> ReadSignedRequestAsync(HttpRequest request, InstagramOptions options, CancellationToken ct)
    {
        if (!request.HasFormContentType || request.ContentLength > MetaSignedRequest.MaxLength * 2)
            return new(MetaSignedRequest.Status.Malformed);
        var form = await request.ReadFormAsync(ct);
        return MetaSignedRequest.Verify(form["signed_request"].ToString(), options.AppSecret);
    }

    private static string RedirectUri(InstagramOptions options, HttpRequest request) =>
        string.IsNullOrWhiteSpace(options.RedirectUri)
            ? $"{request.Scheme}://{request.Host}{request.PathBase}{CallbackPath}"
            : options.RedirectUri;

    public sealed record DataDeletionAnswer(
        [property: System.Text.Json.Serialization.JsonPropertyName("url")] string Url,
        [property: System.Text.Json.Serialization.JsonPropertyName("confirmation_code")] string ConfirmationCode);
}
