using KelolaPesan.Core.Limits;
using StackExchange.Redis;

namespace KelolaPesan.Web.Limits;

/// <summary>
/// <see cref="ILimitCounter"/> in Redis (<c>Redis:Configuration</c> set): every node counts in the same key, so the
/// sign-in throttle and the API rate limit are one budget across nodes. A key is a counter whose expiry is the window
/// (set by the first hit, in one script so two nodes cannot both open it). Redis unreachable: this node counts in
/// memory meanwhile (logged once per outage), so sign-ins and the API keep working with a per-node budget.
/// </summary>
public sealed class RedisLimitCounter(IConnectionMultiplexer redis, MemoryLimitCounter fallback, ILogger<RedisLimitCounter> logger) : ILimitCounter
{
    public const string KeyPrefix = "kelola:limit:";

    // INCR, and PEXPIRE when this hit opened the window (or an old key somehow has no expiry); returns count and PTTL.
    private static readonly LuaScript Hit = LuaScript.Prepare("""
        local count = redis.call('INCR', @key)
        local ttl = redis.call('PTTL', @key)
        if count == 1 or ttl < 0 then
          redis.call('PEXPIRE', @key, @window)
          ttl = tonumber(@window)
        end
        return { count, ttl }
        """);

    private int _failing;

    public async ValueTask<LimitCount> HitAsync(string key, TimeSpan window, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Hit,
                new { key = (RedisKey)(KeyPrefix + key), window = (long)Math.Ceiling(window.TotalMilliseconds) }))!;
            Recovered();
            return new LimitCount((long)result[0], TimeSpan.FromMilliseconds((long)result[1]));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Failed(ex);
            return await fallback.HitAsync(key, window, cancellationToken);
        }
    }

    public async ValueTask<LimitCount> PeekAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            var db = redis.GetDatabase();
            var redisKey = (RedisKey)(KeyPrefix + key);
            var count = db.StringGetAsync(redisKey);
            var ttl = db.KeyTimeToLiveAsync(redisKey);
            var value = await count;
            var left = await ttl;
            Recovered();
            return value.IsNull || left is not { } remaining || remaining <= TimeSpan.Zero ? LimitCount.None : new LimitCount((long)value, remaining);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Failed(ex);
            return await fallback.PeekAsync(key, cancellationToken);
        }
    }

    public async ValueTask ResetAsync(string key, CancellationToken cancellationToken = default)
    {
        await fallback.ResetAsync(key, cancellationToken);
        try
        {
            await redis.GetDatabase().KeyDeleteAsync(KeyPrefix + key);
            Recovered();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Failed(ex);
        }
    }

    private void Failed(Exception ex)
    {
        if (Interlocked.Exchange(ref _failing, 1) == 0)
            logger.LogWarning(ex, "Redis unreachable: sign-in and API limits count on this node only until it is back (logged once per outage)");
    }

    private void Recovered()
    {
        if (Volatile.Read(ref _failing) == 1 && Interlocked.Exchange(ref _failing, 0) == 1)
            logger.LogInformation("Redis reachable again: sign-in and API limits count across nodes");
    }
}
