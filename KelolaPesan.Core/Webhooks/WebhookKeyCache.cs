using Microsoft.Extensions.Caching.Memory;

namespace KelolaPesan.Core.Webhooks;

/// <summary>
/// Decrypted webhook keys for a short while, so a burst of deliveries does not read and decrypt the key
/// for every request. Short-lived on purpose: a deleted workspace stops verifying within <see cref="Lifetime"/>.
/// Size-limited: the endpoint is anonymous, and a flood of random workspace ids (each a cached miss) must not grow it
/// without bound; when full, new entries are not kept (each such request reads the database) until compaction frees room.
/// </summary>
public sealed class WebhookKeyCache(TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    /// <summary>Most entries kept at once (hits and misses together).</summary>
    public const int Capacity = 10_000;

    private readonly MemoryCache _keys = new(new MemoryCacheOptions { SizeLimit = Capacity });

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

    public void Forget(Guid workspaceId) => _keys.Remove(workspaceId);

    public void Dispose() => _keys.Dispose();

    private sealed record Entry(WorkspaceKey? Key, DateTimeOffset Until);
}

/// <param name="HmacKey">The plaintext HMAC key.</param>
public sealed record WorkspaceKey(Guid TenantId, Guid WorkspaceId, string HmacKey);
