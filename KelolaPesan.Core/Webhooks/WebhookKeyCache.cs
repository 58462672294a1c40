using System.Collections.Concurrent;

namespace KelolaPesan.Core.Webhooks;

/// <summary>
/// Decrypted webhook keys for a short while, so a burst of deliveries does not read and decrypt the key
/// for every request. Short-lived on purpose: a deleted workspace stops verifying within <see cref="Lifetime"/>.
/// </summary>
public sealed class WebhookKeyCache(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<Guid, (WorkspaceKey? Key, DateTimeOffset Until)> _keys = new();

    public async ValueTask<WorkspaceKey?> GetAsync(Guid workspaceId, Func<Guid, Task<WorkspaceKey?>> load)
    {
        var now = clock.GetUtcNow();
        if (_keys.TryGetValue(workspaceId, out var entry) && entry.Until > now)
            return entry.Key;
        var key = await load(workspaceId);
        _keys[workspaceId] = (key, now + Lifetime);
        return key;
    }

    public void Forget(Guid workspaceId) => _keys.TryRemove(workspaceId, out _);
}

/// <param name="HmacKey">The plaintext HMAC key.</param>
public sealed record WorkspaceKey(Guid TenantId, Guid WorkspaceId, string HmacKey);
