using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace KelolaPesan.Web.Accounts;

/// <summary>Fills <see cref="CurrentUser"/> for every HTTP request (prerendering, endpoints).</summary>
public sealed class CurrentUserMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context, CurrentUser currentUser)
    {
        currentUser.Set(context.User);
        return next(context);
    }
}

/// <summary>
/// A circuit has its own DI scope: fill <see cref="CurrentUser"/> from the circuit's authentication state
/// before any component renders (handlers run before the root components are added).
/// </summary>
public sealed class CurrentUserCircuitHandler(AuthenticationStateProvider authState, CurrentUser currentUser) : CircuitHandler
{
    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        var state = await authState.GetAuthenticationStateAsync();
        currentUser.Set(state.User);
    }
}

/// <summary>
/// Captures the culture the circuit started in and reads the tenant's zone before the first render, so every
/// <see cref="UserClock"/> format in the circuit (live updates included) uses them. Registered after
/// <see cref="CurrentUserCircuitHandler"/>, which fills the user it needs.
/// </summary>
public sealed class UserClockCircuitHandler(UserClock clock) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        clock.CaptureCulture(System.Globalization.CultureInfo.CurrentCulture);
        return clock.ReadyAsync();
    }
}
