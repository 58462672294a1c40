using System.Net;
using System.Security.Claims;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web.Endpoints;
using Microsoft.AspNetCore.Http;

namespace KelolaPesan.Tests.ExternalApi;

/// <summary>
/// The API rate limit middleware of two nodes on one real redis-server: one budget per key across them.
/// (Over HTTP on one node: ApiKeyStorageTests.PastTheRateLimit_Answers429WithRetryAfter.)
/// </summary>
public sealed class ApiRateLimitAcrossNodesTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const int Permits = 6;

    [Fact]
    public async Task RequestsSpreadOverTwoNodes_ShareOneBudgetPerKey()
    {
        await using var a = ScaleOutNode.Start(redis.Configuration);
        await using var b = ScaleOutNode.Start(redis.Configuration);
        var onA = Pipeline(a);
        var onB = Pipeline(b);
        var key = Guid.NewGuid().ToString();

        for (var i = 0; i < Permits; i++)
            Assert.Equal(StatusCodes.Status200OK, (await (i % 2 == 0 ? onA : onB)(key)).Response.StatusCode);

        var limited = await onB(key);
        Assert.Equal(StatusCodes.Status429TooManyRequests, limited.Response.StatusCode);
        Assert.True(int.Parse(limited.Response.Headers.RetryAfter.ToString()) is > 0 and <= 60);
        Assert.Equal(StatusCodes.Status429TooManyRequests, (await onA(key)).Response.StatusCode);
        // Another key has its own budget.
        Assert.Equal(StatusCodes.Status200OK, (await onA(Guid.NewGuid().ToString())).Response.StatusCode);
    }

    /// <summary>The node's middleware in front of an endpoint answering 200, for a request authenticated as the key.</summary>
    private static Func<string, Task<HttpContext>> Pipeline(ScaleOutNode node)
    {
        var middleware = new ApiRateLimitMiddleware(c =>
        {
            c.Response.StatusCode = (int)HttpStatusCode.OK;
            return Task.CompletedTask;
        }, new ApiRateLimit(Permits), node.Limits);
        return async keyId =>
        {
            var context = new DefaultHttpContext
            {
                User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ApiKeyAuthenticationHandler.KeyIdClaim, keyId)], "ApiKey")),
                Response = { Body = new MemoryStream() },
            };
            await middleware.InvokeAsync(context);
            return context;
        };
    }
}
