using Microsoft.Extensions.Caching.Memory;

namespace KelolaPesan.Core.Limits;

/// <summary>
/// The single-node <see cref="ILimitCounter"/>: in memory, windows judged on the app's clock (tests move it). The keys
/// come from anonymous requests (sign-in addresses), so the store is size-limited (<see cref="Capacity"/>) and entries
/// leave after their window; when full, compaction drops expired and least recently used keys first.
/// </summary>
public sealed class MemoryLimitCounter(TimeProvider clock) : ILimitCounter, IDisposable
{
    /// <summary>Most keys tracked at once.</summary>
    public const int Capacity = 50_000;

    private readonly MemoryCache _windows = new(new MemoryCacheOptions { SizeLimit = Capacity });
    private readonly Lock _gate = new();

    /// <summary>Keys tracked now (never more than <see cref="Capacity"/>).</summary>
    public int Count => _windows.Count;

    public ValueTask<LimitCount> HitAsync(string key, TimeSpan window, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            var next = _windows.TryGetValue(key, out Window? w) && w!.Until > now ? w with { Count = w.Count + 1 } : new Window(now + window, 1);
            // The window is judged on the app's clock; the cache's own expiry (a little later) only frees memory.
            _windows.Set(key, next, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = window + TimeSpan.FromMinutes(1) });
            return ValueTask.FromResult(new LimitCount(next.Count, next.Until - now));
        }
    }

    public ValueTask<LimitCount> PeekAsync(string key, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        return ValueTask.FromResult(_windows.TryGetValue(key, out Window? w) && w!.Until > now ? new LimitCount(w.Count, w.Until - now) : LimitCount.None);
    }

    public ValueTask ResetAsync(string key, CancellationToken cancellationToken = default)
    {
        _windows.Remove(key);
        return ValueTask.CompletedTask;
    }

    public void Dispose() => _windows.Dispose();

    private sealed record Window(DateTimeOffset Until, long Count);
}
