using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Globalization;
using KelolaPesan.Core;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Storage;
using KelolaPesan.Web.Jobs;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Data;
using KelolaPesan.Web.Accounts;
using KelolaPesan.Web.Realtime;
using KelolaPesan.Web.Security;
using KelolaPesan.Web.Webhooks;
using KelolaPesan.Web.Workspaces;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Web.Endpoints;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Server.Circuits;
using MudBlazor.Services;
using Serilog;

namespace KelolaPesan.Web;

public static class DependencyInjection
{
    /// <summary>
    /// The UI's two languages. English writes dates day first, as en-GB does (06/12/2026, 6 Dec 2026): plain "en" is
    /// US-ordered, and 12/6/2026 reads as 12 June here. Only the date and time patterns are taken: the name stays "en"
    /// (the culture cookie, the en resources). Every culture the app sets comes from here (<see cref="Culture"/>).
    /// </summary>
    public static readonly CultureInfo[] SupportedCultures = [new("id"), DayFirstEnglish()];

    /// <summary>One of <see cref="SupportedCultures"/> by name ("id", "en"); Indonesian for any other.</summary>
    public static CultureInfo Culture(string? name) =>
        CultureInfo.ReadOnly(SupportedCultures.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)) ?? SupportedCultures[0]);

    private static CultureInfo DayFirstEnglish()
    {
        var english = new CultureInfo("en");
        english.DateTimeFormat = (DateTimeFormatInfo)new CultureInfo("en-GB").DateTimeFormat.Clone();
        return english;
    }

    public static WebApplicationBuilder AddWebServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddLogging();
        builder.AddSecurityHeaders();

        var database = DatabaseSettings.From(builder.Configuration, builder.Environment.ContentRootPath);
        services.AddCoreServices(builder.Configuration);
        services.AddDataServices(builder.Configuration, builder.Environment.ContentRootPath);
        services.AddJobs(database);
        services.AddSessionMonitoring(builder.Configuration);
        services.AddBotReplies(builder.Configuration);
        services.AddWhatsAppWebhooks();
        services.AddSingleton<InstagramWebhookQueue>();
        services.AddHostedService<InstagramWebhookWorker>();
        // One storage for what any node may need (attachments, import uploads, exports): the data folder, or Storage:Path,
        // a volume every node shares (docs/adr/0017). Attachments:Path still moves attachments alone elsewhere.
        var storage = new LocalFileStorage(builder.Configuration["Storage:Path"] is { Length: > 0 } storagePath ? storagePath : database.DataDirectory);
        services.AddSingleton<IFileStorage>(storage);
        services.AddSingleton<IAttachmentStore>(builder.Configuration["Attachments:Path"] is { Length: > 0 } path
            ? new LocalAttachmentStore(path) : new FileStorageAttachmentStore(storage));

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        // MudBlazor's own texts (pager, "Loading…", close buttons) in the page's language too.
        services.AddTransient<MudBlazor.MudLocalizer, MudTextLocalizer>();
        services.AddHttpContextAccessor();

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "kp.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.LoginPath = "/account/login";
                o.AccessDeniedPath = "/account/access-denied";
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;
                o.EventsType = typeof(AccessCookieEvents);
            });
        services.AddScoped<AccessCookieEvents>();
        // No fallback policy: static assets and the circuit hub must stay reachable before sign-in.
        // Every page is [Authorize] through Components/Pages/_Imports.razor; endpoints declare their own.
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, AccessRevalidatingStateProvider>();
        services.AddForwardedHeaders(builder.Configuration);

        services.AddScoped<CurrentUser>();
        services.AddScoped<CircuitHandler, CurrentUserCircuitHandler>();
        // One node: the in-process bus and in-memory limits; Redis:Configuration: both through Redis (docs/adr/0016).
        services.AddScaleOut(builder.Configuration, database.Provider);
        services.AddScoped<UserClock>();
        services.AddScoped<CircuitHandler, UserClockCircuitHandler>();
        services.AddScoped<Components.Shared.CircuitConnection>();
        services.AddScoped<CircuitHandler, Components.Shared.CircuitConnectionHandler>();
        services.AddScoped<DemoSeeder>();
        services.AddScoped<ContactJobScheduler>();
        services.AddScoped<PrivacyJobScheduler>();
        services.AddSingleton<Instagram.InstagramConnectState>();
        services.Replace(ServiceDescriptor.Singleton<KelolaPesan.Core.Broadcasts.IBroadcastScheduler, QuartzBroadcastScheduler>());
        services.AddHostedService<BroadcastStartup>();
        services.AddScoped<Components.Layout.ShellState>();
        services.AddExternalApi(builder.Configuration);
        // Last of the hosted services: it runs once the others have started, before Kestrel listens.
        if (NodeWarmUp.IsEnabled(builder.Configuration))
        {
            services.AddHostedService<NodeWarmUp>();
            NodeWarmUpServer.Register(services);
        }
        return builder;
    }

    private static void AddWhatsAppWebhooks(this IServiceCollection services)
    {
        services.AddSingleton<WebhookEventQueue>();
        services.AddHostedService<WebhookEventProcessorService>();
        services.AddSingleton<GatewaySessionRoutes>();
        services.AddScoped<IGatewayEventSink, StoredGatewayEventSink>();
        services.AddHostedService<SimulatorSessionRestorer>();
    }

    private static void AddLogging(this WebApplicationBuilder builder)
    {
        var logDirectory = Path.Combine(DatabaseSettings.From(builder.Configuration, builder.Environment.ContentRootPath).DataDirectory, "logs");
        // Each host keeps its own logger. Without preserveStaticLogger the factory writes through the static
        // Log.Logger as it was when each category's logger was made: the last host to start replaces it and a host
        // that stops closes it, so a host beside others (the tests, several apps in one process) lost its lines.
        builder.Services.AddSerilog((services, lc) => lc
            .ReadFrom.Configuration(builder.Configuration)
            .Filter.ByExcluding(IsBrowserGone)
            .Enrich.FromLogContext()
            .WriteTo.Console()
            .WriteTo.File(Path.Combine(logDirectory, "kelola-.log"), rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14),
            preserveStaticLogger: true);
    }

    /// <summary>
    /// A call into a browser that has already gone (the tab closed while a component, e.g. MudBlazor's chart, was still
    /// rendering or disposing): nothing is wrong and nothing can be done, so it is not logged as an error.
    /// </summary>
    public static bool IsBrowserGone(Serilog.Events.LogEvent logEvent) =>
        logEvent.Exception is Microsoft.JSInterop.JSDisconnectedException || logEvent.Exception?.InnerException is Microsoft.JSInterop.JSDisconnectedException;

    public static bool IsMachineEndpoint(PathString path) =>
        path.StartsWithSegments("/webhooks") || path.StartsWithSegments("/api") || path.StartsWithSegments("/meta")
        || path.StartsWithSegments("/health") || path.StartsWithSegments("/attachments");

    public static WebApplication UseWebPipeline(this WebApplication app)
    {
        // First: everything after it (HTTPS, throttle, audit, request log) sees the client behind a trusted proxy.
        app.UseConfiguredForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.UseSecurityHeaders();
        // Request logging without query strings or bodies: webhooks and sign-ins carry secrets.
        app.UseSerilogRequestLogging(o => o.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms");
        // HTML status pages are for browsers only: webhooks and the API answer machines, and a POST re-executed
        // into a page would fail antiforgery and turn a 401 into a 400.
        app.UseWhen(context => !IsMachineEndpoint(context.Request.Path),
            browser => browser.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        // Explicit, and after the status pages: a re-executed request must be routed again to "/not-found", or the
        // 404 goes out with an empty body (the implicit UseRouting runs first, before the re-execution).
        app.UseRouting();
        app.UseRequestLocalization(o =>
        {
            o.SetDefaultCulture("id");
            o.SupportedCultures = SupportedCultures;
            o.SupportedUICultures = SupportedCultures;
            // Only the cookie (set from the user's stored preference) and the default: never the browser header.
            o.RequestCultureProviders = [new Microsoft.AspNetCore.Localization.CookieRequestCultureProvider()];
        });
        app.UseAuthentication();
        app.UseMiddleware<CurrentUserMiddleware>();
        app.UseAuthorization();
        app.UseExternalApi();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapHealthChecks("/health");
        app.MapAccountEndpoints();
        app.MapWhatsAppWebhooks();
        app.MapInstagramWebhooks();
        app.MapAttachmentsApi();
        app.MapContactsApi();
        app.MapPrivacyApi();
        app.MapInstagramEndpoints();
        app.MapExternalApi();
        app.MapBroadcastsApi();
        app.MapRazorComponents<Components.App>().AddInteractiveServerRenderMode();
        return app;
    }
}
