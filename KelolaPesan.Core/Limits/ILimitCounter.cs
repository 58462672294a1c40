namespace KelolaPesan.Core.Limits;

/// <summary>
/// Counts hits per key in a fixed window that starts at the key's first hit and ends <c>window</c> later (then the key
/// starts over). The sign-in throttle and the API rate limit count through it: in memory on one node
/// (<see cref="MemoryLimitCounter"/>), in Redis when <c>Redis:Configuration</c> is set, so all nodes share one budget
/// (docs/adr/0016).
/// </summary>
public interface ILimitCounter
{
    /// <summary>Adds one hit; the key's count in its window (this hit included) and the time the window has left.</summary>
    ValueTask<LimitCount> HitAsync(string key, TimeSpan window, CancellationToken cancellationToken = default);

    /// <summary>The key's count in its current window, without a hit (zero when the key has no open window).</summary>
    ValueTask<LimitCount> PeekAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Forgets the key (its next hit opens a new window).</summary>
    ValueTask ResetAsync(string key, CancellationToken cancellationToken = default);
}

/// <param name="Count">Hits in the window.</param>
/// <param name="Remaining">Time until the window ends (zero when none is open).</param>
public readonly record struct LimitCount(long Count, TimeSpan Remaining)
{
    public static readonly LimitCount None = new(0, TimeSpan.Zero);
}
