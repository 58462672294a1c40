using KelolaPesan.Core.Limits;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Data;
using KelolaPesan.Web.Limits;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace KelolaPesan.Web.Realtime;

/// <summary>
/// Several nodes (docs/adr/0016): with <c>Redis:Configuration</c> (a StackExchange.Redis configuration string) the
/// realtime bus and the sign-in / API limits go through Redis; without it, one node: the in-process bus and in-memory
/// counters, as before. Checks at start that a configuration meant for several nodes can work.
/// </summary>
public static class ScaleOut
{
    public const string RedisKey = "Redis:Configuration";
    public const string StorageKey = "Storage:Path";

    public static bool UsesRedis(IConfiguration config) => !string.IsNullOrWhiteSpace(config[RedisKey]);

    /// <summary>
    /// Why this configuration cannot run several nodes, or null. Redis means several nodes, and those need a database
    /// and a storage folder they all share: a SQLite file and the default data folder are each one node's own.
    /// </summary>
    public static string? ConfigurationProblem(IConfiguration config, DatabaseProvider provider)
    {
        if (!UsesRedis(config))
            return null;
        if (provider == DatabaseProvider.Sqlite)
            return $"{RedisKey} is set (several nodes) but Database:Provider is Sqlite: a SQLite file cannot be shared by several nodes. "
                + "Set Database:Provider to Postgres or SqlServer with ConnectionStrings:Kelola, or remove Redis:Configuration to run one node.";
        if (string.IsNullOrWhiteSpace(config[StorageKey]))
            return $"{RedisKey} is set (several nodes) but {StorageKey} is empty: uploads, exports and attachments must be in a folder every node shares. "
                + $"Set {StorageKey} to a shared volume, or remove Redis:Configuration to run one node.";
        return null;
    }

    /// <summary>Registers the bus and the limit counter for one node or several; refuses a configuration several nodes cannot run on.</summary>
    public static IServiceCollection AddScaleOut(this IServiceCollection services, IConfiguration config, DatabaseProvider provider)
    {
        if (ConfigurationProblem(config, provider) is { } problem)
            throw new InvalidOperationException(problem);

        if (!UsesRedis(config))
        {
            services.TryAddSingleton<IRealtimeBus, InProcessRealtimeBus>();
            services.TryAddSingleton<ILimitCounter>(sp => new MemoryLimitCounter(sp.GetRequiredService<TimeProvider>()));
            return services;
        }

        var options = ConfigurationOptions.Parse(config[RedisKey]!);
        // Start without Redis and reconnect by itself; while it is away, commands fail at once (the bus and the limits
        // fall back to this node) instead of queueing until a timeout on the publisher's path.
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ClientName ??= $"kelola-{Environment.MachineName}";
        services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            var multiplexer = ConnectionMultiplexer.Connect(options);
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ScaleOut));
            multiplexer.ConnectionFailed += (_, e) => logger.LogWarning(e.Exception, "Redis connection to {Endpoint} failed ({FailureType})", e.EndPoint, e.FailureType);
            multiplexer.ConnectionRestored += (_, e) => logger.LogInformation("Redis connection to {Endpoint} restored", e.EndPoint);
            return multiplexer;
        });
        services.TryAddSingleton(new RealtimeEventJson());
        services.Replace(ServiceDescriptor.Singleton<IRealtimeBus, RedisRealtimeBus>());
        services.Replace(ServiceDescriptor.Singleton<ILimitCounter>(sp => new RedisLimitCounter(sp.GetRequiredService<IConnectionMultiplexer>(),
            new MemoryLimitCounter(sp.GetRequiredService<TimeProvider>()), sp.GetRequiredService<ILogger<RedisLimitCounter>>())));
        return services;
    }
}
