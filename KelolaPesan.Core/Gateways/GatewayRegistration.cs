using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KelolaPesan.Core.Gateways;

public static class GatewayRegistration
{
    /// <summary>
    /// Registers <see cref="IWhatsAppGateway"/> as chosen by <c>Gateway:Kind</c>: the simulator (default;
    /// a singleton, also resolvable as <see cref="SimulatorGateway"/>) or WAHA (a typed HttpClient with
    /// its resilience pipeline; transient, so resolve it per operation rather than holding it in a singleton).
    /// The host registers the <see cref="IGatewayEventSink"/>.
    /// </summary>
    public static IServiceCollection AddGateways(this IServiceCollection services, IConfiguration config)
    {
        var section = config.GetSection(GatewayOptions.SectionName);
        services.Configure<GatewayOptions>(section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();

        if (section.GetValue(nameof(GatewayOptions.Kind), GatewayKind.Simulator) == GatewayKind.Waha)
        {
            services
                .AddHttpClient<WahaGateway>((sp, client) =>
                {
                    var waha = sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Waha;
                    client.BaseAddress = new Uri(waha.BaseUrl.TrimEnd('/') + "/");
                    // The resilience pipeline owns the timeouts.
                    client.Timeout = Timeout.InfiniteTimeSpan;
                })
                .AddResilienceHandler("waha", static (builder, context) =>
                    WahaResilience.Configure(builder, context.ServiceProvider.GetRequiredService<IOptions<GatewayOptions>>().Value.Waha));
            services.AddTransient<IWhatsAppGateway>(sp => sp.GetRequiredService<WahaGateway>());
        }
        else
        {
            services.TryAddSingleton<SimulatorGateway>();
            services.AddSingleton<IWhatsAppGateway>(sp => sp.GetRequiredService<SimulatorGateway>());
        }
        return services;
    }
}
