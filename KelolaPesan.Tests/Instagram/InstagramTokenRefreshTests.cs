using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Instagram;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Instagram;

public sealed class InstagramTokenRefreshTests : IAsyncLifetime
{
    private InstagramHost _ig = null!;

    public async Task InitializeAsync()
    {
        _ig = await InstagramHost.CreateAsync();
        await _ig.ConnectAsync(_ig.AlphaWorkspace);
    }

    public async Task DisposeAsync() => await _ig.DisposeAsync();

    private Task<InstagramTokenRefresher.Outcome> RunAsync() =>
        _ig.Host.Run<InstagramTokenRefresher, InstagramTokenRefresher.Outcome>(r => r.RefreshDueAsync());

    [Fact]
    public async Task AFreshToken_IsLeftAlone_ANearlyExpiredOne_IsRefreshed()
    {
        _ig.Host.Clock.Advance(TimeSpan.FromDays(10));
        Assert.Equal(new InstagramTokenRefresher.Outcome(0, 0, 0), await RunAsync());

        _ig.Host.Clock.Advance(TimeSpan.FromDays(45));
        var before = (await _ig.AccountAsync(_ig.AlphaWorkspace))!;
        Assert.Equal(new InstagramTokenRefresher.Outcome(1, 0, 0), await RunAsync());

        var after = (await _ig.AccountAsync(_ig.AlphaWorkspace))!;
        var refreshed = Assert.Single(_ig.Graph.RequestsTo("GET", "/refresh_access_token"));
        Assert.Equal(_ig.Host.Secrets.Unprotect(InstagramAccountService.TokenPurpose, before.AccessTokenEncrypted!), refreshed.Token);
        Assert.Equal(_ig.Graph.IssuedTokens[^1], _ig.Host.Secrets.Unprotect(InstagramAccountService.TokenPurpose, after.AccessTokenEncrypted!));
        Assert.Equal(_ig.Host.Clock.GetUtcNow().AddSeconds(FakeGraphServer.LongLivedSeconds), after.TokenExpiresAt);
        Assert.Equal(InstagramConnectionStatus.Connected, after.Status);

        // The new expiry is two months away: the next run leaves it alone.
        Assert.Equal(new InstagramTokenRefresher.Outcome(0, 0, 0), await RunAsync());
    }

    [Fact]
    public async Task ARevokedToken_MarksTheAccountExpired_AndTellsTheOwnerOnce()
    {
        await _ig.EnableOwnerNotificationsAsync();
        _ig.Graph.FailNext(1, 190, 460, pathContains: "refresh_access_token", message: "The user has changed the password");
        _ig.Host.Clock.Advance(TimeSpan.FromDays(55));

        Assert.Equal(new InstagramTokenRefresher.Outcome(0, 1, 0), await RunAsync());
        Assert.Equal(new InstagramTokenRefresher.Outcome(0, 0, 0), await RunAsync());

        var account = (await _ig.AccountAsync(_ig.AlphaWorkspace))!;
        Assert.Equal(InstagramConnectionStatus.TokenExpired, account.Status);
        // Stored as a problem code with Graph's own words as its detail (docs/adr/0020).
        var reason = KelolaPesan.Core.Common.ProblemText.Parse(account.StatusReason)!;
        Assert.Equal("Instagram_TokenRefused", reason.Code);
        Assert.Equal("The user has changed the password", reason.Detail);
        Assert.Null(account.AccessTokenEncrypted);
        await using var db = _ig.Host.Database.CreateSystem();
        var notification = await db.NotificationLogs.SingleAsync(n => n.Event == NotificationEvent.InstagramDisconnected);
        Assert.True(notification.Succeeded, notification.Error);
        Assert.Equal(InstagramHost.OwnerPhone, notification.Recipient);
        Assert.Contains("@" + FakeGraphServer.Username, notification.Body);
        Assert.Contains("Toko Alpha", notification.Body);
        Assert.Single(await db.AuditEntries.Where(a => a.Action == InstagramAuditActions.TokenExpired).ToListAsync());
    }

    [Fact]
    public async Task AnAlreadyExpiredToken_IsMarkedWithoutCallingGraph()
    {
        _ig.Host.Clock.Advance(TimeSpan.FromDays(61));

        Assert.Equal(new InstagramTokenRefresher.Outcome(0, 1, 0), await RunAsync());

        Assert.Empty(_ig.Graph.RequestsTo("GET", "/refresh_access_token"));
        Assert.Equal(InstagramConnectionStatus.TokenExpired, (await _ig.AccountAsync(_ig.AlphaWorkspace))!.Status);
    }

    [Fact]
    public async Task AThrottledRefresh_KeepsTheAccountConnected_ForTheNextRun()
    {
        _ig.Graph.FailNext(1, 4, pathContains: "refresh_access_token");
        _ig.Host.Clock.Advance(TimeSpan.FromDays(55));

        Assert.Equal(new InstagramTokenRefresher.Outcome(0, 0, 1), await RunAsync());
        Assert.Equal(new InstagramTokenRefresher.Outcome(1, 0, 0), await RunAsync());
        Assert.Equal(InstagramConnectionStatus.Connected, (await _ig.AccountAsync(_ig.AlphaWorkspace))!.Status);
    }
}
