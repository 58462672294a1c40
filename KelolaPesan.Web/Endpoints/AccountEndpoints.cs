using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Audit;
using KelolaPesan.Web.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Localization;

namespace KelolaPesan.Web;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/logout", SignOutAsync);
        app.MapGet("/account/culture", SetCulture);
        return app;
    }

    private static async Task<RedirectHttpResult> SignOutAsync(HttpContext context, CurrentUser user, AccessValidator access, AuditLog audit, CancellationToken ct)
    {
        // A new stamp ends this cookie on the server too: a copy of it (and every other session of the account) is refused.
        if (user.IsAuthenticated)
        {
            await access.RotateStampAsync(user.UserId, user.IsAdmin, ct);
            await audit.WriteAsync(new AuditRecord(AuditActions.SignOut, user.IsAdmin ? AuditActorType.Admin : AuditActorType.User,
                user.DisplayName, user.UserId, user.TenantId, IpAddress: context.Connection.RemoteIpAddress?.ToString()), ct);
        }
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.LocalRedirect(user.IsAdmin ? "/admin/login" : "/account/login");
    }

    /// <summary>Sets the UI culture cookie and goes back; the preference itself is stored by the caller.</summary>
    private static RedirectHttpResult SetCulture(HttpContext context, string? culture, string? returnUrl)
    {
        var supported = DependencyInjection.SupportedCultures.Any(c => c.Name == culture) ? culture! : "id";
        WriteCultureCookie(context, supported);
        return TypedResults.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");
    }

    public static void WriteCultureCookie(HttpContext context, string culture) =>
        context.Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });

    /// <summary>
    /// A path on this site: starts with one slash, and holds no control character (a tab or line break would make
    /// LocalRedirect throw, and browsers strip them, turning "/\t/evil.example" into "//evil.example").
    /// </summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") && !url.Any(char.IsControl);
}
