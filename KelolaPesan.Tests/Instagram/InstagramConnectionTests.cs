using System.Text;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Instagram;
using KelolaPesan.Tests.Privacy;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Instagram;

/// <summary>Connect, reconnect, disconnect and deauthorize through the real services, SQLite file and fake Graph over HTTP.</summary>
public sealed class InstagramConnectionTests : IAsyncLifetime
{
    private InstagramHost _ig = null!;

    public async Task InitializeAsync() => _ig = await InstagramHost.CreateAsync();

    public async Task DisposeAsync() => await _ig.DisposeAsync();

    [Fact]
    public async Task Connect_StoresProfilePermissionsExpiryAndAnEncryptedTokenThatIsNowhereOnDiskInPlain()
    {
        var result = await _ig.ConnectAsync(_ig.AlphaWorkspace);

        Assert.True(result.Succeeded, result.Error.ToString());
        var account = Assert.IsType<InstagramAccount>(await _ig.AccountAsync(_ig.AlphaWorkspace));
        Assert.Equal((FakeGraphServer.UserId, FakeGraphServer.Username, FakeGraphServer.DisplayName, "https://cdn.fake/profile.jpg"),
            (account.InstagramUserId, account.Username, account.DisplayName, account.ProfilePictureUrl));
        Assert.Equal(InstagramConnectionStatus.Connected, account.Status);
        Assert.Equal(InstagramOptions.Scopes, account.Permissions);
        Assert.Equal(_ig.Host.Clock.GetUtcNow().AddSeconds(FakeGraphServer.LongLivedSeconds), account.TokenExpiresAt);
        Assert.True(_ig.Graph.Subscribed);
        Assert.Equal("comments,messages", _ig.Graph.SubscribedFields);

        // The long-lived token (the last one the fake issued) is what is stored, and only encrypted.
        var longToken = _ig.Graph.IssuedTokens[^1];
        Assert.StartsWith("IGlong-", longToken);
        Assert.Equal(longToken, _ig.Host.Secrets.Unprotect(InstagramAccountService.TokenPurpose, account.AccessTokenEncrypted!));
        using (var connection = new SqliteConnection(_ig.Host.Database.ConnectionString))
            SqliteConnection.ClearPool(connection);
        var bytes = Directory.GetFiles(_ig.Host.Database.Folder)
            .Where(f => Path.GetFileName(f).StartsWith(Path.GetFileName(_ig.Host.Database.FilePath), StringComparison.Ordinal))
            .SelectMany(File.ReadAllBytes).ToArray();
        Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(FakeGraphServer.Username)) >= 0, "sanity: the files hold the account row");
        foreach (var token in _ig.Graph.IssuedTokens)
        {
            Assert.False(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(token)) >= 0, $"plain token on disk: {token[..8]}");
            Assert.False(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(token)) >= 0, $"plain UTF-16 token on disk: {token[..8]}");
        }

        await using var db = _ig.Host.Database.CreateSystem();
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == InstagramAuditActions.Connected);
        Assert.Equal(_ig.Host.Alpha, audit.TenantId);
        Assert.DoesNotContain(longToken, audit.Details);
    }

    [Fact]
    public async Task Reconnect_UpdatesTheWorkspacesOneAccount()
    {
        await _ig.ConnectAsync(_ig.AlphaWorkspace);
        await _ig.Accounts(s => s.DisconnectAsync(_ig.AlphaWorkspace, deleteHistory: false, PrivacyHost.Owner));
        _ig.Graph.ProfileUsername = "toko.baru";

        Assert.True((await _ig.ConnectAsync(_ig.AlphaWorkspace)).Succeeded);

        await using var db = _ig.Host.Database.CreateSystem();
        var account = await db.InstagramAccounts.SingleAsync();
        Assert.Equal(("toko.baru", InstagramConnectionStatus.Connected), (account.Username, account.Status));
        Assert.NotNull(account.AccessTokenEncrypted);
    }

    [Fact]
    public async Task Connect_ForAnotherTenantsWorkspace_IsNotFound_AndExchangesNothing()
    {
        var result = await _ig.ConnectAsync(_ig.BravoWorkspace);

        Assert.Equal(InstagramConnectError.WorkspaceNotFound, result.Error);
        Assert.Null(await _ig.AccountAsync(_ig.BravoWorkspace));
        Assert.Empty(_ig.Graph.RequestsTo("POST", "/oauth/access_token"));
    }

    [Fact]
    public async Task Connect_WhenGraphRefusesTheCode_StoresNothing()
    {
        var result = await _ig.Accounts(s => s.ConnectAsync(_ig.AlphaWorkspace, "forged-code", InstagramHost.Redirect, PrivacyHost.Owner));

        Assert.Equal(InstagramConnectError.GraphFailed, result.Error);
        Assert.Null(await _ig.AccountAsync(_ig.AlphaWorkspace));
        Assert.False(_ig.Graph.Subscribed);
    }

    [Fact]
    public async Task Connect_OfAnInstagramAccountLiveInAnotherWorkspace_IsRefused()
    {
        await _ig.ConnectAsync(_ig.AlphaWorkspace);
        Guid second;
        await using (var db = _ig.Host.Database.CreateForTenant(_ig.Host.Alpha))
        {
            var workspace = new Core.Workspaces.Workspace { TenantId = _ig.Host.Alpha, Name = "Toko Kedua" };
            db.Workspaces.Add(workspace);
            await db.SaveChangesAsync();
            second = workspace.Id;
        }

        var result = await _ig.ConnectAsync(second);

        Assert.Equal(InstagramConnectError.ConnectedElsewhere, result.Error);
        Assert.Null(await _ig.AccountAsync(second));
    }

    [Fact]
    public async Task Disconnect_KeepingHistory_UnsubscribesDeletesTheTokenAndKeepsTheMedia()
    {
        await _ig.ConnectAsync(_ig.AlphaWorkspace);
        await _ig.Host.Run<InstagramMediaService, InstagramMediaResult>(s => s.GetPageAsync(_ig.AlphaWorkspace, null));

        Assert.True(await _ig.Accounts(s => s.DisconnectAsync(_ig.AlphaWorkspace, deleteHistory: false, PrivacyHost.Owner)));

        Assert.False(_ig.Graph.Subscribed);
        Assert.Single(_ig.Graph.RequestsTo("DELETE", "/v25.0/me/subscribed_apps"));
        var account = Assert.IsType<InstagramAccount>(await _ig.AccountAsync(_ig.AlphaWorkspace));
        Assert.Equal(InstagramConnectionStatus.Disconnected, account.Status);
        Assert.Null(account.AccessTokenEncrypted);
        await using var db = _ig.Host.Database.CreateSystem();
        Assert.Equal(25, await db.InstagramMedia.CountAsync(m => m.WorkspaceId == _ig.AlphaWorkspace));
        Assert.Equal("history kept", (await db.AuditEntries.SingleAsync(a => a.Action == InstagramAuditActions.Disconnected)).Details!.Split("; ")[1]);
    }

    [Fact]
    public async Task Disconnect_DeletingHistory_ErasesTheAccountAndItsMedia_EvenWhenTheTokenIsAlreadyRevoked()
    {
        await _ig.ConnectAsync(_ig.AlphaWorkspace);
        await _ig.Host.Run<InstagramMediaService, InstagramMediaResult>(s => s.GetPageAsync(_ig.AlphaWorkspace, null));
        _ig.Graph.RevokeToken(_ig.Graph.IssuedTokens[^1]);

        Assert.True(await _ig.Accounts(s => s.DisconnectAsync(_ig.AlphaWorkspace, deleteHistory: true, PrivacyHost.Owner)));

        Assert.Null(await _ig.AccountAsync(_ig.AlphaWorkspace));
        await using var db = _ig.Host.Database.CreateSystem();
        Assert.Equal(0, await db.InstagramMedia.CountAsync(m => m.WorkspaceId == _ig.AlphaWorkspace));
    }

    [Fact]
    public async Task Disconnect_OfAnotherTenantsWorkspace_IsNotFound_AndLeavesItConnected()
    {
        _ig.Host.CurrentTenant = _ig.Host.Bravo;
        Assert.True((await _ig.ConnectAsync(_ig.BravoWorkspace)).Succeeded);
        _ig.Host.CurrentTenant = _ig.Host.Alpha;

        Assert.False(await _ig.Accounts(s => s.DisconnectAsync(_ig.BravoWorkspace, deleteHistory: true, PrivacyHost.Owner)));

        Assert.Equal(InstagramConnectionStatus.Connected, (await _ig.AccountAsync(_ig.BravoWorkspace))!.Status);
        Assert.True(_ig.Graph.Subscribed);
    }

    [Fact]
    public async Task Media_PagesThroughGraph_AndCachesEveryItemSeen()
    {
        await _ig.ConnectAsync(_ig.AlphaWorkspace);

        var first = await _ig.Host.Run<InstagramMediaService, InstagramMediaResult>(s => s.GetPageAsync(_ig.AlphaWorkspace, null));
        var second = await _ig.Host.Run<InstagramMediaService, InstagramMediaResult>(s => s.GetPageAsync(_ig.AlphaWorkspace, first.After));
        var again = await _ig.Host.Run<InstagramMediaService, InstagramMediaResult>(s => s.GetPageAsync(_ig.AlphaWorkspace, null));

        Assert.Equal((25, 5, 25), (first.Items.Count, second.Items.Count, again.Items.Count));
        Assert.Null(second.After);
        await using var db = _ig.Host.Database.CreateSystem();
        var cached = await db.InstagramMedia.Where(m => m.WorkspaceId == _ig.AlphaWorkspace).ToListAsync();
        Assert.Equal(30, cached.Count);
        var reel = cached.Single(m => m.MediaId == "18000000000000005");
        Assert.Equal(("VIDEO", "https://cdn.fake/5-thumb.jpg", 5, "Fake post 5"), (reel.MediaType, reel.ThumbnailUrl, reel.CommentsCount, reel.Caption));
    }

    [Fact]
    public async Task Media_OfAnotherTenantsWorkspace_IsNotConnected()
    {
        _ig.Host.CurrentTenant = _ig.Host.Bravo;
        await _ig.ConnectAsync(_ig.BravoWorkspace);
        _ig.Host.CurrentTenant = _ig.Host.Alpha;

        var result = await _ig.Host.Run<InstagramMediaService, InstagramMediaResult>(s => s.GetPageAsync(_ig.BravoWorkspace, null));

        Assert.Equal(InstagramMediaError.NotConnected, result.Error);
        Assert.Empty(_ig.Graph.RequestsTo("GET", $"/v25.0/{FakeGraphServer.UserId}/media"));
    }

    [Fact]
    public async Task Deauthorize_DisconnectsEveryAccountOfThatInstagramUser_AndOnlyThose()
    {
        await _ig.ConnectAsync(_ig.AlphaWorkspace);

        Assert.Equal(0, await _ig.Accounts(s => s.DeauthorizeAsync("17841499999999999")));
        Assert.Equal(1, await _ig.Accounts(s => s.DeauthorizeAsync(FakeGraphServer.UserId)));

        var account = (await _ig.AccountAsync(_ig.AlphaWorkspace))!;
        Assert.Equal((InstagramConnectionStatus.Disconnected, "Instagram_Deauthorized"), (account.Status, account.StatusReason));
        Assert.Null(account.AccessTokenEncrypted);
    }
}
