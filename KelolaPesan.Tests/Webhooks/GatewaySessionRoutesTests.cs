using KelolaPesan.Core.Webhooks;
using KelolaPesan.Web.Webhooks;
using Microsoft.Extensions.Time.Testing;

namespace KelolaPesan.Tests.Webhooks;

/// <summary>
/// The simulator's events find their workspace from memory after the first (three events per send each read the
/// workspace row before), for as long as a webhook key is kept; a session not found is asked again every time.
/// </summary>
public sealed class GatewaySessionRoutesTests
{
    [Fact]
    public async Task AFoundRoute_IsKeptForTheKeysLifetime_AndAMissIsAskedAgain()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-05T10:00:00Z"));
        using var routes = new GatewaySessionRoutes(clock);
        var route = new SessionRoute(Guid.NewGuid(), Guid.NewGuid());
        var loads = 0;
        Task<SessionRoute?> Found() { loads++; return Task.FromResult<SessionRoute?>(route); }
        Task<SessionRoute?> Missing() { loads++; return Task.FromResult<SessionRoute?>(null); }

        Assert.Equal(route, await routes.GetAsync("a", Found));
        Assert.Equal(route, await routes.GetAsync("a", Found));
        clock.Advance(WebhookKeyCache.Lifetime - TimeSpan.FromSeconds(1));
        Assert.Equal(route, await routes.GetAsync("a", Found));
        Assert.Equal(1, loads);

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(route, await routes.GetAsync("a", Found));
        Assert.Equal(2, loads);

        Assert.Null(await routes.GetAsync("b", Missing));
        Assert.Equal(route, await routes.GetAsync("b", Found));
        Assert.Equal(4, loads);
    }
}
