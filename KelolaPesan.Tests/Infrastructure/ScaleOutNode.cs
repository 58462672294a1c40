using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Limits;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Webhooks;
using KelolaPesan.Data;
using KelolaPesan.Web.Realtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Tests.Infrastructure;

/// <summary>
/// One "node" of a cluster without a web host: a service provider of its own with the app's scale-out registrations
/// (<see cref="ScaleOut.AddScaleOut"/>), so its own Redis connection, bus, limit counter, sign-in throttle and webhook
/// key cache. Two of them on one <see cref="RedisServer"/> behave like two app processes for these parts.
/// Without a Redis configuration it is the single-node setup (in-process bus, in-memory counters).
/// </summary>
public sealed class ScaleOutNode : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private ScaleOutNode(ServiceProvider services) => _services = services;

    public static ScaleOutNode Start(string? redisConfiguration, TimeProvider? clock = null)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ScaleOut.RedisKey] = redisConfiguration,
            [ScaleOut.StorageKey] = Path.GetTempPath(),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(clock ?? TimeProvider.System);
        services.AddSingleton<IConfiguration>(config);
        services.AddScaleOut(config, DatabaseProvider.Postgres);
        services.AddSingleton(sp => new SignInThrottle(sp.GetRequiredService<ILimitCounter>()));
        services.AddSingleton(sp => new WebhookKeyCache(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IRealtimeBus>()));
        services.AddSingleton(sp => new KelolaPesan.Core.Accounts.AccessCache(sp.GetRequiredService<IRealtimeBus>()));
        services.AddSingleton(sp => new KelolaPesan.Core.Tenancy.LicenceStandingCache(sp.GetRequiredService<IRealtimeBus>()));
        return new ScaleOutNode(services.BuildServiceProvider(validateScopes: true));
    }

    public IServiceProvider Services => _services;
    public IRealtimeBus Bus => _services.GetRequiredService<IRealtimeBus>();
    public ILimitCounter Limits => _services.GetRequiredService<ILimitCounter>();
    public SignInThrottle Throttle => _services.GetRequiredService<SignInThrottle>();
    public WebhookKeyCache WebhookKeys => _services.GetRequiredService<WebhookKeyCache>();
    public KelolaPesan.Core.Accounts.AccessCache Access => _services.GetRequiredService<KelolaPesan.Core.Accounts.AccessCache>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
