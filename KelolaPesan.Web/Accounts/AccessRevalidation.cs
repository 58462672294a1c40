using KelolaPesan.Core.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace KelolaPesan.Web.Accounts;

/// <summary>
/// Every request with the auth cookie asks <see cref="AccessValidator"/> (cached: one database query per account and
/// interval); a cookie that fails is rejected and deleted, so the request goes on anonymous and pages send the
/// browser to the sign-in page. docs/adr/0011.
/// </summary>
public sealed class AccessCookieEvents(AccessValidator access) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        if (context.Principal is { } principal
            && CurrentUser.TicketOf(principal) is { } ticket
            && await access.IsValidAsync(ticket, context.HttpContext.RequestAborted))
            return;

        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (SignInPageFor(context.Request.Path) is var page && page != context.Options.LoginPath)
            context.RedirectUri = QueryHelpers.AddQueryString(page, "ReturnUrl", context.Request.PathBase + context.Request.Path + context.Request.QueryString);
        return base.RedirectToLogin(context);
    }

    /// <summary>
    /// Where a signed-out browser signs in: the platform console's pages have their own sign-in (email, no licence code).
    /// The cookie's redirect and an open page's (<c>RedirectToLogin</c>) both ask here.
    /// </summary>
    public static string SignInPageFor(PathString path) => path.StartsWithSegments("/admin") ? "/admin/login" : "/account/login";
}

/// <summary>
/// An open circuit keeps the principal it started with; this asks the same question on a timer
/// (<see cref="AccessOptions.RevalidateEvery"/>). On a refusal the state turns anonymous, and the router's
/// <c>RedirectToLogin</c> forces a full navigation to the sign-in page, where the cookie itself is refused.
/// </summary>
public sealed class AccessRevalidatingStateProvider(ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<AccessOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => options.Value.RevalidateEvery;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        if (CurrentUser.TicketOf(authenticationState.User) is not { } ticket)
            return false;
        // A scope of its own: the circuit's scope is not safe to use from this timer's thread.
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AccessValidator>().IsValidAsync(ticket, cancellationToken);
    }
}
