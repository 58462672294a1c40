using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Core.Instagram;

public static class InstagramInboxRegistration
{
    /// <summary>Webhooks, comment automations and DMs (the Graph client itself is registered by <c>AddInstagramGraph</c>).</summary>
    public static IServiceCollection AddInstagramInbox(this IServiceCollection services)
    {
        services.AddScoped<InstagramWebhookIngest>();
        services.AddScoped<InstagramEventProcessor>();
        services.AddScoped<CommentAutomationService>();
        services.AddScoped<CommentReplyService>();
        services.AddSingleton<CommentReplyQueueSignal>();
        services.AddScoped<InstagramCommentFeed>();
        services.AddScoped<IInstagramMessenger, InstagramMessenger>();
        services.AddScoped<InstagramMediaLinks>();
        return services;
    }
}
