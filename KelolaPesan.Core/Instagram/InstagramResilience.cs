using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace KelolaPesan.Core.Instagram;

/// <summary>
/// A total timeout, retries of GETs only and a per-attempt timeout. No circuit breaker: one Graph serves every
/// tenant, and one account's failures must not pause the others'.
/// </summary>
public static class InstagramResilience
{
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, InstagramOptions options)
    {
        builder.AddTimeout(TimeSpan.FromSeconds(options.TimeoutSeconds));
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = TimeSpan.FromSeconds(options.RetryDelaySeconds),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Context.GetRequestMessage()?.Method == HttpMethod.Get && IsTransientFailure(args.Outcome)),
            });
        }
        builder.AddTimeout(TimeSpan.FromSeconds(options.AttemptTimeoutSeconds));
    }

    private static bool IsTransientFailure(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout,
        _ => false,
    };
}
