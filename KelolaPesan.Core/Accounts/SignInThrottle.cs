using KelolaPesan.Core.Limits;

namespace KelolaPesan.Core.Accounts;

/// <summary>
/// Limits failed sign-ins per key (the account tried, and the client address): after
/// <see cref="MaxFailures"/> failures in <see cref="Window"/> the key is locked until the window passes.
/// Counted through <see cref="ILimitCounter"/>: in memory on one node, in Redis with several (one budget across nodes,
/// docs/adr/0016).
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>Most keys tracked at once by the in-memory counter.</summary>
    public const int Capacity = MemoryLimitCounter.Capacity;

    private const string Prefix = "signin:";

    private readonly ILimitCounter _counter;
    private readonly MemoryLimitCounter? _owned;

    /// <summary>In memory, on the given clock (one node; tests).</summary>
    public SignInThrottle(TimeProvider clock) : this(new MemoryLimitCounter(clock))
    {
        _owned = (MemoryLimitCounter)_counter;
    }

    public SignInThrottle(ILimitCounter counter) => _counter = counter;

    /// <summary>Keys tracked now by an in-memory counter of its own (never more than <see cref="Capacity"/>).</summary>
    internal int Count => _owned?.Count ?? 0;

    /// <summary>How long the caller must wait, or null when a sign-in may be tried.</summary>
    public async ValueTask<TimeSpan?> RetryAfterAsync(params string[] keys)
    {
        TimeSpan? wait = null;
        foreach (var key in keys)
        {
            var failures = await _counter.PeekAsync(Normalize(key));
            if (failures.Count >= MaxFailures && failures.Remaining > TimeSpan.Zero)
                wait = wait is null || failures.Remaining > wait ? failures.Remaining : wait;
        }
        return wait;
    }

    public async ValueTask RecordFailureAsync(params string[] keys)
    {
        foreach (var key in keys)
            await _counter.HitAsync(Normalize(key), Window);
    }

    public async ValueTask RecordSuccessAsync(params string[] keys)
    {
        foreach (var key in keys)
            await _counter.ResetAsync(Normalize(key));
    }

    public void Dispose() => _owned?.Dispose();

    private static string Normalize(string key) => Prefix + key.ToUpperInvariant();
}
