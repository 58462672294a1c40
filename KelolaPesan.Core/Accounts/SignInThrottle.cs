using Microsoft.Extensions.Caching.Memory;

namespace KelolaPesan.Core.Accounts;

/// <summary>
/// Limits failed sign-ins per key (the account tried, and the client address): after
/// <see cref="MaxFailures"/> failures in <see cref="Window"/> the key is locked until the window passes.
/// In memory: one web node. With several nodes each node counts its own (see docs/adr/0003).
/// The keys come from anonymous requests, so the store is size-limited (<see cref="Capacity"/>) and entries leave
/// after their window; when full, compaction drops expired and least recently used keys first.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock) : IDisposable
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>Most keys tracked at once.</summary>
    public const int Capacity = 50_000;

    private readonly MemoryCache _failures = new(new MemoryCacheOptions { SizeLimit = Capacity });
    private readonly Lock _gate = new();

    /// <summary>Keys tracked now (never more than <see cref="Capacity"/>).</summary>
    internal int Count => _failures.Count;

    /// <summary>How long the caller must wait, or null when a sign-in may be tried.</summary>
    public TimeSpan? RetryAfter(params string[] keys)
    {
        var now = clock.GetUtcNow();
        TimeSpan? wait = null;
        foreach (var key in keys)
        {
            if (_failures.TryGetValue(Normalize(key), out Failures? f) && f!.Count >= MaxFailures && f.Since + Window > now)
            {
                var remaining = f.Since + Window - now;
                wait = wait is null || remaining > wait ? remaining : wait;
            }
        }
        return wait;
    }

    public void RecordFailure(params string[] keys)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            foreach (var key in keys.Select(Normalize))
            {
                var next = _failures.TryGetValue(key, out Failures? f) && f!.Since + Window > now ? f with { Count = f.Count + 1 } : new Failures(now, 1);
                // The window is judged on the app's clock; the cache's own expiry (a little later) only frees memory.
                _failures.Set(key, next, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Window + TimeSpan.FromMinutes(1) });
            }
        }
    }

    public void RecordSuccess(params string[] keys)
    {
        foreach (var key in keys)
            _failures.Remove(Normalize(key));
    }

    public void Dispose() => _failures.Dispose();

    private static string Normalize(string key) => key.ToUpperInvariant();

    private sealed record Failures(DateTimeOffset Since, int Count);
}
