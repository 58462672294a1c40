using KelolaPesan.Core.Realtime;
using Microsoft.Extensions.Caching.Memory;

namespace KelolaPesan.Core.Webhooks;

/// <summary>
/// Decrypted webhook keys for a short while, so a burst of deliveries does not read and decrypt the key
/// for every request. Short-lived on purpose: a deleted workspace stops verifying within <see cref="Lifetime"/>.
/// Size-limited: the endpoint is anonymous, and a flood of random workspace ids (each a cached miss) must not grow it
/// without bound; when full, new entries are not kept (each such request reads the database) until compaction frees room.
/// With a bus, <see cref="Forget"/> reaches every node (a <see cref="WebhookKeyChanged"/> on the platform topic), so a
/// rotated key stops verifying on the other nodes too, not only after <see cref="Lifetime"/>.
/// </summary>
public sealed class WebhookKeyCache : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    /// <summary>Most entries kept at once (hits and misses together).</summary>
    public const int Capacity = 10_000;

    private readonly MemoryCache _keys = new(new MemoryCacheOptions { SizeLimit = Capacity });
    private readonly TimeProvider clock;
    private readonly IRealtimeBus? _bus;
    private readonly IDisposable? _subscription;

    public WebhookKeyCache(TimeProvider clock, IRealtimeBus? bus = null)
    {
        this.clock = clock;
        _bus = bus;
        _subscription = bus?.Subscribe(Topics.Platform, evt =>
        {
            if (evt is WebhookKeyChanged changed)
                _keys.Remove(changed.WorkspaceId);
            return Task.CompletedTask;
        });
    }

    /// <summary>Entries held now (never more than <see cref="Capacity"/>).</summary>
    internal int Count => _keys.Count;

    public async ValueTask<WorkspaceKey?> GetAsync(Guid workspaceId, Func<Guid, Task<WorkspaceKey?>> load)
    {
        var now = clock.GetUtcNow();
        // The lifetime is judged on the app's clock (tests move it); the cache's own expiry only frees memory.
        if (_keys.TryGetValue(workspaceId, out Entry? entry) && entry!.Until > now)
            return entry.Key;
        var key = await load(workspaceId);
        _keys.Set(workspaceId, new Entry(key, now + Lifetime), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        return key;
    }

    /// <summary>Drops the workspace's key here at once, and on the other nodes through the bus.</summary>
    public void Forget(Guid workspaceId)
    {
        _keys.Remove(workspaceId);
        // The bus never throws nor waits for subscribers (a backplane outage is logged): the caller's save stands.
        _bus?.PublishAsync(Topics.Platform, new WebhookKeyChanged(workspaceId));
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _keys.Dispose();
    }

    private sealed record Entry(WorkspaceKey? Key, DateTimeOffset Until);
}

/// <param name="HmacKey">The plaintext HMAC key.</param>
public sealed record WorkspaceKey(Guid TenantId, Guid WorkspaceId, string HmacKey);
