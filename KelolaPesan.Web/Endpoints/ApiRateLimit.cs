using System.Globalization;
using KelolaPesan.Core.Limits;
using Microsoft.AspNetCore.Mvc;

namespace KelolaPesan.Web.Endpoints;

/// <param name="PermitsPerMinute"><c>Api:RateLimit:PermitsPerMinute</c> (default 120).</param>
public sealed record ApiRateLimit(int PermitsPerMinute)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
}

/// <summary>
/// The external API's rate limit: a fixed one-minute window per API key (one noisy integration cannot starve the
/// tenant's others), counted through <see cref="ILimitCounter"/> so several nodes share one budget per key
/// (docs/adr/0016). Runs after authorization, which put the key the API scheme authenticated on the user.
/// </summary>
public sealed class ApiRateLimitMiddleware(RequestDelegate next, ApiRateLimit limit, ILimitCounter counter)
{
    private const string Prefix = "api:";

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value is not { Length: > 0 } keyId)
        {
            await next(context);
            return;
        }
        var used = await counter.HitAsync(Prefix + keyId, ApiRateLimit.Window, context.RequestAborted);
        if (used.Count <= limit.PermitsPerMinute)
        {
            await next(context);
            return;
        }
        var seconds = Math.Max(1, (int)Math.Ceiling(used.Remaining.TotalSeconds));
        var response = context.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await response.WriteAsJsonAsync(new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests",
            Detail = $"The API key made more than {limit.PermitsPerMinute} requests a minute; try again in {seconds} s.",
        }, options: null, contentType: "application/problem+json", cancellationToken: context.RequestAborted);
    }
}
