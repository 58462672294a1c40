using System.Security.Claims;
using System.Text.Encodings.Web;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.ExternalApi;
using KelolaPesan.Core.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace KelolaPesan.Web.Endpoints;

/// <summary>
/// The "ApiKey" scheme: <c>Authorization: Bearer kp_...</c>. On success the principal carries the key, its tenant
/// and optional workspace scope, and the request's tenant context is set so the tenant query filters apply.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, ApiKeyService keys, TenantContext tenant)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Policy = "ExternalApi";
    public const string KeyIdClaim = "kp:api-key";
    public const string WorkspaceClaim = "kp:api-workspace";
    public const string RestApiClaim = "kp:rest-api";
    private const string FailureItem = "kp:api-auth-failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrWhiteSpace(header))
            return Refuse("Api_KeyRequired");
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Refuse("Api_AuthorizationMalformed");
        var result = await keys.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (result.Caller is not { } caller)
            return Refuse(result.Error!);

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, caller.KeyId.ToString()),
            new(ClaimTypes.Name, caller.Name),
            new(KeyIdClaim, caller.KeyId.ToString()),
            new(Accounts.CurrentUser.TenantIdClaim, caller.TenantId.ToString()),
            new(RestApiClaim, caller.LicenceAllowsApi ? "true" : "false"),
        };
        if (caller.WorkspaceId is { } ws)
            claims.Add(new Claim(WorkspaceClaim, ws.ToString()));
        Context.Items[typeof(ApiCaller)] = caller;
        // CurrentUserMiddleware ran before this handler (the policy authenticates inside authorization): set the tenant here.
        tenant.SetTenant(caller.TenantId);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    private AuthenticateResult Refuse(string code)
    {
        Context.Items[FailureItem] = code;
        return AuthenticateResult.Fail(code);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized", Context.Items[FailureItem] as string ?? "Api_KeyRequired");
    }

    /// <summary>A known key whose licence refuses the API: a lapsed licence says so, apart from one without the feature.</summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden",
            Context.Items[typeof(ApiCaller)] is ApiCaller { LicenceUsable: false } ? "Api_LicenceNotUsable" : "Api_NotInLicence");

    /// <summary>The problem with its code, in the API's language: the challenge comes before the API's own middleware sets it.</summary>
    private Task WriteProblemAsync(int status, string title, string code)
    {
        ExternalApiSetup.UseRequestedLanguage(Context);
        Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = ProblemText.Get(code), Instance = Request.Path };
        problem.Extensions[ProblemResults.CodeKey] = code;
        return Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json");
    }
}

public static class ApiCallerExtensions
{
    /// <summary>The caller the "ApiKey" scheme authenticated for this request.</summary>
    public static ApiCaller ApiCaller(this HttpContext context) =>
        context.Items[typeof(ApiCaller)] as ApiCaller ?? throw new InvalidOperationException("The request was not authenticated with an API key.");
}
