namespace KelolaPesan.Web.Security;

/// <summary>
/// Response headers that limit what a page may load and who may frame it (see README, Security). Pages get a
/// Content-Security-Policy that Blazor Server and MudBlazor work with: scripts only from our own origin (no inline
/// script anywhere: App.razor loads files only), inline styles allowed because MudBlazor sets style attributes and
/// Blazor's reconnect dialog injects a style element, the circuit's WebSocket to our own host. Machine endpoints
/// (webhooks, API, attachments) never serve markup and get a policy that allows nothing; the API reference page
/// (Scalar, which needs inline script) keeps none. A machine endpoint that sets its own policy keeps it.
/// </summary>
public static class SecurityHeaders
{
    private const string PagePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; " +
        "font-src 'self' data:; media-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private const string MachinePolicy = "default-src 'none'; frame-ancestors 'none'; sandbox";

    public static WebApplicationBuilder AddSecurityHeaders(this WebApplicationBuilder builder)
    {
        // No "Server: Kestrel": nothing tells a scanner which server and version to try.
        builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);
        return builder;
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.TryAdd("X-Content-Type-Options", "nosniff");
                headers.TryAdd("Referrer-Policy", "same-origin");
                headers.TryAdd("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()");
                headers.TryAdd("X-Frame-Options", "DENY");
                if (DependencyInjection.IsMachineEndpoint(context.Request.Path))
                {
                    if (MachinePolicyFor(context.Request) is { } policy)
                        headers.TryAdd("Content-Security-Policy", policy);
                }
                else
                    // Replaces Blazor's own "frame-ancestors 'self'": the page policy says that and more.
                    headers.ContentSecurityPolicy = PagePolicyFor(context.Request);
                return Task.CompletedTask;
            });
            return next(context);
        });

    private static string? MachinePolicyFor(HttpRequest request) =>
        request.Path.StartsWithSegments("/api/docs") || request.Path.StartsWithSegments("/api/openapi") ? null : MachinePolicy;

    private static string PagePolicyFor(HttpRequest request)
    {
        // The circuit's WebSocket: 'self' covers ws(s) to our own host in CSP 3; the explicit sources help older browsers.
        var host = request.Host.Value;
        return host is { Length: > 0 } && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']')
            ? $"{PagePolicy}; connect-src 'self' ws://{host} wss://{host}"
            : $"{PagePolicy}; connect-src 'self'";
    }
}
