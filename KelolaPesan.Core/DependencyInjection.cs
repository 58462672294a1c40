using FluentValidation;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Contacts.Import;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Instagram;
using KelolaPesan.Core.Validation;
using KelolaPesan.Core.Webhooks;
using KelolaPesan.Core.Workspaces;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KelolaPesan.Core;

public static class DependencyInjection
{
    public static IServiceCollection AddCoreServices(this IServiceCollection services, IConfiguration config)
    {
        services.TryAddSingleton(TimeProvider.System);
        Common.FieldNames.Use();
        // Every HttpClient logs through the redacting logger: request paths carry chat ids and phone numbers.
        services.AddSingleton<Logging.RedactingHttpClientLogger>();
        services.ConfigureHttpClientDefaults(http => http.RemoveAllLoggers().AddLogger<Logging.RedactingHttpClientLogger>());
        services.AddGateways(config);
        services.AddInstagram(config);
        // One node counts in memory; AddWebServices replaces the counter with Redis when Redis:Configuration is set.
        services.TryAddSingleton<Limits.ILimitCounter>(sp => new Limits.MemoryLimitCounter(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new SignInThrottle(sp.GetRequiredService<Limits.ILimitCounter>()));
        services.AddScoped<AuditLog>();
        services.AddScoped<SignInService>();
        services.AddOptions<AccessOptions>().Bind(config.GetSection(AccessOptions.Section))
            .Validate(o => o.RevalidateEvery > TimeSpan.Zero && o.RevalidateEvery <= AccessOptions.MaxRevalidateEvery,
                $"{AccessOptions.Section}:RevalidateEvery must be more than zero and at most one minute.")
            .ValidateOnStart();
        // With a bus, Forget reaches every node's cache and the circuits watching the account (AccessChanged on the platform topic).
        services.AddSingleton(sp => new AccessCache(sp.GetService<Realtime.IRealtimeBus>()));
        services.AddSingleton(sp => new Tenancy.LicenceStandingCache(sp.GetService<Realtime.IRealtimeBus>()));
        services.AddScoped<Tenancy.LicenceStanding>();
        services.AddScoped<AccessValidator>();
        services.AddScoped<AccountService>();
        services.AddScoped<Team.TeamService>();
        services.AddScoped<WorkspaceDirectory>();
        services.AddScoped<IValidator<WorkspaceInput>, WorkspaceInputValidator>();
        services.AddScoped<WorkspaceService>();
        services.AddScoped<WorkspaceConnectionService>();
        services.AddScoped<InboundMessageService>();
        // With a bus, Forget reaches every node's cache (WebhookKeyChanged on the platform topic).
        services.AddSingleton(sp => new WebhookKeyCache(sp.GetRequiredService<TimeProvider>(), sp.GetService<Realtime.IRealtimeBus>()));
        services.AddSingleton<IngestGate>();
        services.AddSingleton<WebhookEventWriter>();
        services.AddScoped<WhatsAppWebhookIngest>();
        services.AddSingleton(new WebhookReplayOptions
        {
            Window = double.TryParse(config["Webhooks:WhatsApp:ReplayWindowMinutes"], System.Globalization.CultureInfo.InvariantCulture, out var replay) && replay > 0
                ? TimeSpan.FromMinutes(replay) : new WebhookReplayOptions().Window,
        });
        services.AddScoped<WhatsAppEventProcessor>();
        services.AddScoped<PlatformDefaults>();
        services.AddScoped<AdminOverview>();
        services.AddScoped<ContactService>();
        services.AddScoped<ContactCatalogService>();
        services.AddScoped<ContactImportService>();
        services.AddScoped<ContactExportService>();
        services.AddScoped<SegmentService>();
        services.AddScoped<NumberValidationService>();
        services.AddScoped<InboxService>();
        services.AddSingleton<SharedChatPages>();
        services.AddScoped<QuickReplyService>();
        services.AddScoped<MessageStatsService>();
        services.AddScoped<Automation.AutomationService>();
        services.AddScoped<Automation.IInboundAutomation>(sp => sp.GetRequiredService<Automation.AutomationService>());
        services.AddAdminConsole();
        services.AddPrivacy(config);
        services.AddExternalApiCore(config);
        services.AddBroadcasts();
        return services;
    }

    /// <summary>Instagram (issue 8): the Graph client, connect/disconnect, token refresh, media.</summary>
    private static IServiceCollection AddInstagram(this IServiceCollection services, IConfiguration config)
    {
        services.AddInstagramGraph(config);
        services.AddScoped<Instagram.InstagramAccountService>();
        services.AddScoped<Instagram.InstagramTokenRefresher>();
        services.AddScoped<Instagram.InstagramMediaService>();
        services.AddInstagramInbox();
        return services;
    }

    /// <summary>Privacy and data rights (issue 11): export, deletion, retention, corrections.</summary>
    private static IServiceCollection AddPrivacy(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<Privacy.PrivacyOptions>().Bind(config.GetSection(Privacy.PrivacyOptions.Section));
        services.AddScoped<Privacy.DataEraser>();
        services.AddScoped<Privacy.DataExportService>();
        services.AddScoped<Privacy.DataDeletionService>();
        services.AddScoped<Privacy.RetentionService>();
        services.AddScoped<Privacy.CorrectionService>();
        services.AddScoped<Privacy.AdminAccessAudit>();
        return services;
    }

    /// <summary>The external REST API and outgoing webhooks (issue 10).</summary>
    private static IServiceCollection AddExternalApiCore(this IServiceCollection services, IConfiguration config)
    {
        var webhooks = new ExternalApi.OutgoingWebhookOptions();
        if (double.TryParse(config["Webhooks:Outgoing:RetryBaseSeconds"], System.Globalization.CultureInfo.InvariantCulture, out var retry))
            webhooks.RetryBase = TimeSpan.FromSeconds(retry);
        if (double.TryParse(config["Webhooks:Outgoing:SweepSeconds"], System.Globalization.CultureInfo.InvariantCulture, out var sweep))
            webhooks.SweepInterval = TimeSpan.FromSeconds(sweep);
        webhooks.AllowPrivateAddresses = bool.TryParse(config["Webhooks:Outgoing:AllowPrivateAddresses"], out var allowPrivate) && allowPrivate;
        services.AddSingleton(webhooks);
        services.AddSingleton<ExternalApi.WebhookUrlScreen>();
        // The screen connects (after its own DNS lookup) and no proxy or redirect may take a delivery elsewhere.
        services.AddHttpClient(ExternalApi.OutgoingWebhookService.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new System.Net.Http.SocketsHttpHandler
            {
                ConnectCallback = sp.GetRequiredService<ExternalApi.WebhookUrlScreen>().ConnectAsync,
                UseProxy = false,
                AllowAutoRedirect = false,
            });
        services.AddSingleton<ExternalApi.ApiKeyUsageThrottle>();
        services.AddScoped<ExternalApi.ApiKeyService>();
        services.AddScoped<ExternalApi.ApiMessageService>();
        services.AddScoped<ExternalApi.ApiIdempotencyService>();
        services.AddScoped<ExternalApi.WebhookSubscriptionService>();
        services.AddScoped<ExternalApi.OutgoingWebhookService>();
        services.AddScoped<ExternalApi.WebhookEventTranslator>();
        services.AddScoped<ExternalApi.ApiDirectory>();
        return services;
    }

    /// <summary>Broadcasts and sequences (issue 6): the Web project replaces the scheduler with its Quartz one.</summary>
    private static IServiceCollection AddBroadcasts(this IServiceCollection services)
    {
        services.TryAddSingleton<Broadcasts.IBroadcastScheduler, Broadcasts.NoBroadcastScheduler>();
        services.AddScoped<Broadcasts.BroadcastService>();
        services.AddScoped<Broadcasts.BroadcastDispatcher>();
        services.AddSingleton<Broadcasts.BroadcastDispatchCache>();
        services.AddSingleton<Broadcasts.BroadcastHolds>();
        services.AddScoped<Broadcasts.SequenceService>();
        services.AddScoped<Broadcasts.AudienceReplies>();
        services.AddScoped<Broadcasts.BroadcastReport>();
        services.AddScoped<Broadcasts.BroadcastReconnect>();
        return services;
    }

    /// <summary>The admin console (issue 9): licences, tenants overview, policies, watermark, notifications, audit.</summary>
    private static IServiceCollection AddAdminConsole(this IServiceCollection services)
    {
        services.AddScoped<Tenancy.LicenceService>();
        services.AddScoped<Tenancy.LicenceQuota>();
        services.AddScoped<Tenancy.TenantSettingsService>();
        services.AddScoped<Tenancy.TenantOverview>();
        services.AddScoped<PolicyService>();
        services.AddScoped<WatermarkService>();
        services.AddScoped<NotificationTemplates>();
        services.AddScoped<AdminConnection>();
        services.AddScoped<PlatformNotifier>();
        services.AddScoped<AdminBroadcastService>();
        services.AddScoped<AuditQuery>();
        return services;
    }
}
