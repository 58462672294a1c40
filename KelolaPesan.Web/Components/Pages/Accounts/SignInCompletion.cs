using KelolaPesan.Core.Accounts;
using KelolaPesan.Web.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Localization;

namespace KelolaPesan.Web.Components.Pages.Accounts;

/// <summary>What both sign-in pages do with a result: set the cookies, or say why not.</summary>
public static class SignInCompletion
{
    public static async Task SignInAsync(HttpContext context, SignedInUser user)
    {
        var principal = CurrentUser.CreatePrincipal(user, CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal, new AuthenticationProperties { IsPersistent = true });
        AccountEndpoints.WriteCultureCookie(context, user.Language == UiLanguage.English ? "en" : "id");
    }

    public static string Message(SignInResult result, IStringLocalizer<SharedResource> l, bool admin) => result.Failure switch
    {
        SignInFailure.LicenceSuspended => l["Error_LicenceSuspended"],
        SignInFailure.LicenceExpired => l["Error_LicenceExpired"],
        SignInFailure.AccountDisabled => l["Error_AccountDisabled"],
        SignInFailure.TooManyAttempts => l["Error_TooManyAttempts", Math.Max(1, (int)Math.Ceiling(result.RetryAfter?.TotalMinutes ?? 1))],
        _ => admin ? l["Error_InvalidAdminCredentials"] : l["Error_InvalidCredentials"],
    };

    public static string SafeReturnUrl(string? returnUrl, string fallback) => AccountEndpoints.IsLocal(returnUrl) ? returnUrl! : fallback;
}
