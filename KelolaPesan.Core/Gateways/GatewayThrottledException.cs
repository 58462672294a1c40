namespace KelolaPesan.Core.Gateways;

/// <summary>The gateway answered 429; wait <see cref="RetryAfter"/> (when given) before the next call of this kind.</summary>
public sealed class GatewayThrottledException(string operation, TimeSpan? retryAfter)
    : GatewayException(operation, retryAfter is { } wait ? $"throttled, retry after {wait.TotalSeconds:0.#} s" : "throttled", 429, isTransient: true)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
