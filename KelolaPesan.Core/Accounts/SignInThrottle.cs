using System.Collections.Concurrent;

namespace KelolaPesan.Core.Accounts;

/// <summary>
/// Limits failed sign-ins per key (the account tried, and the client address): after
/// <see cref="MaxFailures"/> failures in <see cref="Window"/> the key is locked until the window passes.
/// In memory: one web node. With several nodes each node counts its own (see docs/adr/0003).
/// </summary>
public sealed class SignInThrottle(TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long the caller must wait, or null when a sign-in may be tried.</summary>
    public TimeSpan? RetryAfter(params string[] keys)
    {
        var now = clock.GetUtcNow();
        TimeSpan? wait = null;
        foreach (var key in keys)
        {
            if (_failures.TryGetValue(key, out var f) && f.Count >= MaxFailures && f.Since + Window > now)
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
        foreach (var key in keys)
            _failures.AddOrUpdate(key, _ => new Failures(now, 1),
                (_, f) => f.Since + Window <= now ? new Failures(now, 1) : f with { Count = f.Count + 1 });
    }

    public void RecordSuccess(params string[] keys)
    {
        foreach (var key in keys)
            _failures.TryRemove(key, out _);
    }

    private sealed record Failures(DateTimeOffset Since, int Count);
}
