using KelolaPesan.Core.Accounts;
using KelolaPesan.Tests.Infrastructure;

namespace KelolaPesan.Tests.Accounts;

/// <summary>With Redis, the sign-in throttle is one budget across nodes (two nodes, one real redis-server).</summary>
public sealed class SignInThrottleAcrossNodesTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task FiveWrongSignInsSpreadOverTwoNodes_LockTheAccountOnBoth()
    {
        await using var a = ScaleOutNode.Start(redis.Configuration);
        await using var b = ScaleOutNode.Start(redis.Configuration);
        var account = $"acct:{Guid.NewGuid():N}";

        // Each from its own address, alternating nodes, as a load balancer would spread them.
        for (var i = 0; i < SignInThrottle.MaxFailures - 1; i++)
            await (i % 2 == 0 ? a : b).Throttle.RecordFailureAsync(account, $"ip:10.0.0.{i}");
        Assert.Null(await a.Throttle.RetryAfterAsync(account));
        Assert.Null(await b.Throttle.RetryAfterAsync(account));

        await b.Throttle.RecordFailureAsync(account.ToUpperInvariant(), "ip:10.0.0.9");

        var onA = await a.Throttle.RetryAfterAsync(account, "ip:10.0.0.200");
        var onB = await b.Throttle.RetryAfterAsync(account);
        Assert.NotNull(onA);
        Assert.NotNull(onB);
        Assert.InRange(onA!.Value, TimeSpan.FromMinutes(14), SignInThrottle.Window);
        // An address on its own is not locked by one failure.
        Assert.Null(await a.Throttle.RetryAfterAsync("ip:10.0.0.9"));

        // A success on one node clears the account on both.
        await a.Throttle.RecordSuccessAsync(account);
        Assert.Null(await b.Throttle.RetryAfterAsync(account));
    }

    [Fact]
    public async Task RedisAway_TheThrottleStillCounts_OnThisNode()
    {
        await using var server = await RedisServer.StartAsync();
        await using var node = ScaleOutNode.Start(server.Configuration);
        server.Kill();
        var account = $"acct:{Guid.NewGuid():N}";
        for (var i = 0; i < SignInThrottle.MaxFailures; i++)
            await node.Throttle.RecordFailureAsync(account, "ip:10.1.1.1");
        Assert.NotNull(await node.Throttle.RetryAfterAsync(account));
    }
}
