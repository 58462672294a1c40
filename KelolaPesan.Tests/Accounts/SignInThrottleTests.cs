using KelolaPesan.Core.Accounts;
using Microsoft.Extensions.Time.Testing;

namespace KelolaPesan.Tests.Accounts;

public sealed class SignInThrottleTests
{
    [Fact]
    public async Task FailuresForRandomAccountsAndAddresses_StayWithinTheCapacity()
    {
        using var throttle = new SignInThrottle(new FakeTimeProvider(DateTimeOffset.UtcNow));
        for (var i = 0; i < SignInThrottle.Capacity * 2; i++)
        {
            await throttle.RecordFailureAsync($"acct:{Guid.NewGuid():N}", $"ip:10.{i % 256}.{i / 256 % 256}.{i % 7}");
            if (i % 1000 == 0)
                Assert.True(throttle.Count <= SignInThrottle.Capacity, $"{throttle.Count} keys after {i + 1} sign-ins");
        }
        Assert.True(throttle.Count <= SignInThrottle.Capacity, $"{throttle.Count} keys");
    }

    [Fact]
    public async Task TheLockStillHolds_AndEndsWithItsWindow()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var throttle = new SignInThrottle(clock);
        for (var i = 0; i < SignInThrottle.MaxFailures; i++)
            await throttle.RecordFailureAsync("acct:Pemilik", "ip:1");
        Assert.NotNull(await throttle.RetryAfterAsync("ACCT:pemilik"));
        clock.Advance(SignInThrottle.Window);
        Assert.Null(await throttle.RetryAfterAsync("acct:pemilik", "ip:1"));
    }
}
