using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace KelolaPesan.Core.Gateways;

/// <summary>
/// The WAHA client's pipeline, outermost first: a total timeout, retries, a circuit breaker and a
/// per-attempt timeout. Retries only touch idempotent requests: a send that timed out may still have
/// been delivered, and sending it again would message the customer twice.
/// </summary>
public static class WahaResilience
{
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, WahaOptions options)
    {
        var attemptTimeout = TimeSpan.FromSeconds(options.AttemptTimeoutSeconds);
        builder.AddTimeout(TimeSpan.FromSeconds(options.TimeoutSeconds));
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = TimeSpan.FromSeconds(options.RetryDelaySeconds),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(IsIdempotent(args.Context) && IsTransientFailure(args.Outcome)),
            });
        }
        builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = 0.5,
            MinimumThroughput = 10,
            SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, 2 * options.AttemptTimeoutSeconds)),
            BreakDuration = TimeSpan.FromSeconds(15),
            ShouldHandle = args => ValueTask.FromResult(IsTransientFailure(args.Outcome)),
        });
        builder.AddTimeout(attemptTimeout);
    }

    public static bool IsIdempotent(ResilienceContext context) =>
        context.GetRequestMessage() is { } request
        && (request.Method == HttpMethod.Get
            || (request.Options.TryGetValue(WahaGateway.IdempotentRequest, out var idempotent) && idempotent));

    /// <summary>5xx, 408, timeouts and connection failures. A 429 is not: the caller is told how long to wait.</summary>
    public static bool IsTransientFailure(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout,
        _ => false,
    };
}
