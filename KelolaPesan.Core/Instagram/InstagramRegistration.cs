using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KelolaPesan.Core.Instagram;

public static class InstagramRegistration
{
    /// <summary>
    /// Binds <see cref="InstagramOptions"/> and registers <see cref="IInstagramGraph"/> as a typed HttpClient
    /// (transient: resolve it per operation rather than holding it in a singleton).
    /// </summary>
    public static IServiceCollection AddInstagramGraph(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<InstagramOptions>(config.GetSection(InstagramOptions.SectionName));
        services
            .AddHttpClient<InstagramGraphClient>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("instagram", static (builder, context) =>
                InstagramResilience.Configure(builder, context.ServiceProvider.GetRequiredService<IOptions<InstagramOptions>>().Value));
        services.AddTransient<IInstagramGraph>(sp => sp.GetRequiredService<InstagramGraphClient>());
        return services;
    }
}
