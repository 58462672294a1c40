using System.Security.Claims;
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
/// (<see cref="AccessOptions.RevalidateEvery"/>) and at once when the account's access changes on any node
/// (<see cref="AccessCache.Watch"/>). On a refusal the state turns anonymous, and the router's <c>RedirectToLogin</c>
/// forces a full navigation to the sign-in page, which says the session ended (<see cref="Ended"/>).
/// </summary>
public sealed class AccessRevalidatingStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<AccessOptions> _options;
    private readonly AccessCache _cache;
    private readonly ILogger _logger;
    private IDisposable? _watch;
    private volatile bool _disposed;

    public AccessRevalidatingStateProvider(ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<AccessOptions> options, AccessCache cache)
        : base(loggerFactory)
    {
        (_scopes, _options, _cache, _logger) = (scopes, options, cache, loggerFactory.CreateLogger<AccessRevalidatingStateProvider>());
        AuthenticationStateChanged += WatchAsync;
    }

    /// <summary>True once this circuit's signed-in state was refused (not for a visitor who never signed in).</summary>
    public bool Ended { get; private set; }

    protected override TimeSpan RevalidationInterval => _options.Value.RevalidateEvery;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        if (CurrentUser.TicketOf(authenticationState.User) is not { } ticket)
            return false;
        var valid = await IsValidAsync(ticket, cancellationToken);
        Ended |= !valid;
        return valid;
    }

    private async Task<bool> IsValidAsync(AccessTicket ticket, CancellationToken cancellationToken)
    {
        // A scope of its own: the circuit's scope is not safe to use from this timer's thread.
        await using var scope = _scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AccessValidator>().IsValidAsync(ticket, cancellationToken);
    }

    private async void WatchAsync(Task<AuthenticationState> state)
    {
        try
        {
            _watch?.Dispose();
            _watch = CurrentUser.TicketOf((await state).User) is { } ticket
                ? _cache.Watch(ticket.AccountId, ticket.IsAdmin, () => _ = CheckNowAsync(ticket))
                : null;
            // The circuit may have ended while the state was awaited: its callback must not stay in the node's cache.
            if (_disposed)
                _watch?.Dispose();
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Could not watch the circuit's account for access changes; the timer still asks");
        }
    }

    private async Task CheckNowAsync(AccessTicket ticket)
    {
        try
        {
            if (await IsValidAsync(ticket, CancellationToken.None))
                return;
            Ended = true;
            _watch?.Dispose();
            NotifyAuthenticationStateChanged(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Access re-check after a change failed; the timer still asks");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _disposed = true;
            AuthenticationStateChanged -= WatchAsync;
            _watch?.Dispose();
        }
        base.Dispose(disposing);
    }
}
