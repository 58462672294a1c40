using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using KelolaPesan.Core.Instagram;
using KelolaPesan.Core.Privacy;
using KelolaPesan.Core.Security;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static KelolaPesan.Tests.Webhooks.AppWorkspaces;

namespace KelolaPesan.Tests.Instagram;

/// <summary>
/// The real app (Development, demo data) with every Instagram base URL on the fake Graph server: Meta's signed
/// callbacks over HTTP, and the connect flow and media browser in Chromium. In the browser collection, so it runs alone.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class InstagramAppTests(BrowserFixture browser) : IAsyncLifetime
{
    private FakeGraphServer _graph = null!;
    private KelolaAppFactory _app = null!;

    public async Task InitializeAsync()
    {
        _graph = await FakeGraphServer.StartAsync();
        _app = new KelolaAppFactory().WithSetting("Gateway:MonitorIntervalSeconds", "0");
        foreach (var (key, value) in _graph.Settings)
            _app.WithSetting(key, value);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _graph.DisposeAsync();
    }

    private Task<Guid> WorkspaceAsync(string name) => QueryAsync(_app, db => db.Workspaces.Where(w => w.Name == name).Select(w => w.Id).FirstAsync());

    private async Task<Guid> SeedAccountAsync(string workspaceName, string instagramUserId)
    {
        var workspaceId = await WorkspaceAsync(workspaceName);
        await using var scope = _app.Services.CreateAsyncScope();
        var secrets = scope.ServiceProvider.GetRequiredService<ISecretProtector>();
        await using var db = scope.ServiceProvider.GetRequiredService<Core.Common.IKelolaDbFactory>().CreateSystem();
        var tenantId = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.TenantId).FirstAsync();
        db.InstagramAccounts.Add(new InstagramAccount
        {
            TenantId = tenantId, WorkspaceId = workspaceId, InstagramUserId = instagramUserId, Username = "seeded",
            AccessTokenEncrypted = secrets.Protect(InstagramAccountService.TokenPurpose, _graph.IssueToken()),
            Status = InstagramConnectionStatus.Connected, TokenExpiresAt = DateTimeOffset.UtcNow.AddDays(50),
        });
        await db.SaveChangesAsync();
        return workspaceId;
    }

    private async Task<HttpResponseMessage> PostSignedAsync(string path, string? signedRequest)
    {
        using var client = new HttpClient { BaseAddress = new Uri(_app.BaseUrl) };
        var form = new Dictionary<string, string>();
        if (signedRequest is not null)
            form["signed_request"] = signedRequest;
        return await client.PostAsync(path, new FormUrlEncodedContent(form));
    }

    [Fact]
    public async Task Deauthorize_WithAValidSignedRequest_DisconnectsTheAccount_AndABadOneChangesNothing()
    {
        var workspaceId = await SeedAccountAsync("Layanan Pelanggan", "17841400000000077");
        var status = () => QueryAsync(_app, db => db.InstagramAccounts.Where(a => a.WorkspaceId == workspaceId).Select(a => a.Status).SingleAsync());

        using (var bad = await PostSignedAsync("/meta/deauthorize", FakeGraphServer.SignedRequest("17841400000000077", appSecret: "wrong")))
            Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        using (var malformed = await PostSignedAsync("/meta/deauthorize", "garbage"))
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        using (var missing = await PostSignedAsync("/meta/deauthorize", null))
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(InstagramConnectionStatus.Connected, await status());

        using var ok = await PostSignedAsync("/meta/deauthorize", FakeGraphServer.SignedRequest("17841400000000077"));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        // The token goes before the answer; the account itself goes with the deletion request that follows.
        Assert.False(await QueryAsync(_app, db => db.InstagramAccounts.AnyAsync(a => a.WorkspaceId == workspaceId && a.AccessTokenEncrypted != null)));
        await EventuallyAsync(() => QueryAsync(_app, db => db.DeletionRequests.AnyAsync(r => r.TargetId == "17841400000000077" && r.Status == DataJobStatus.Completed)),
            "deletion completed");
        Assert.False(await QueryAsync(_app, db => db.InstagramAccounts.AnyAsync(a => a.WorkspaceId == workspaceId)));
    }

    [Fact]
    public async Task DataDeletion_AnswersAStatusUrlAndCode_AndTheJobErasesThatUsersComments()
    {
        var workspaceId = await WorkspaceAsync("Toko Utama");
        const string commenter = "17841400000000555";
        await using (var scope = _app.Services.CreateAsyncScope())
        await using (var db = scope.ServiceProvider.GetRequiredService<Core.Common.IKelolaDbFactory>().CreateSystem())
        {
            var tenantId = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.TenantId).FirstAsync();
            db.InstagramComments.Add(new InstagramComment { TenantId = tenantId, WorkspaceId = workspaceId, CommentId = "c-555", MediaId = "m-1",
                CommenterId = commenter, Text = "minta harga", WebhookPayload = "{}", CommentedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        using (var bad = await PostSignedAsync("/meta/data-deletion", FakeGraphServer.SignedRequest(commenter, appSecret: "wrong")))
            Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        using (var malformed = await PostSignedAsync("/meta/data-deletion", "a.b"))
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(0, await QueryAsync(_app, db => db.DeletionRequests.CountAsync(r => r.TargetId == commenter)));

        using var response = await PostSignedAsync("/meta/data-deletion", FakeGraphServer.SignedRequest(commenter));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var code = (string)answer["confirmation_code"]!;
        Assert.StartsWith(DataDeletionService.CodePrefix, code);
        Assert.Equal($"{_app.BaseUrl}/data-deletion?code={code}", (string?)answer["url"]);
        await EventuallyAsync(() => QueryAsync(_app, db => db.DeletionRequests.AnyAsync(r => r.ConfirmationCode == code && r.Status == DataJobStatus.Completed)),
            "deletion completed");
        Assert.False(await QueryAsync(_app, db => db.InstagramComments.AnyAsync(c => c.CommenterId == commenter)));
        using var client = new HttpClient();
        var page = await client.GetStringAsync((string)answer["url"]!);
        Assert.Contains("data-testid=\"deletion-status-value\"", page);
        Assert.Contains(code, page);
    }

    [Fact]
    public async Task Owner_ConnectsThroughTheAuthorizePage_SeesTheAccount_AndPagesThroughThePosts()
    {
        await using var session = await browser.NewPageAsync(_app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await page.GotoAsync("/instagram");
            await page.WaitForCircuitAsync();

            await page.ByTestId("instagram-connect").ClickAsync();
            // A full round trip (connect -> fake authorize -> callback -> page): wait for the new page's own circuit.
            await page.WaitForURLAsync("**/instagram?result=connected*");
            await page.WaitForCircuitAsync();

            await Assertions.Expect(page.ByTestId("instagram-result")).ToHaveAttributeAsync("data-result", "connected");
            await Assertions.Expect(page.ByTestId("instagram-username")).ToHaveTextAsync("@" + FakeGraphServer.Username);
            await Assertions.Expect(page.ByTestId("instagram-status")).ToHaveAttributeAsync("data-status", "Connected");
            await Assertions.Expect(page.ByTestId("media-item")).ToHaveCountAsync(25);
            await Assertions.Expect(page.ByTestId("media-caption").First).ToHaveTextAsync("Fake post 1");

            await page.ByTestId("media-next").ClickAsync();
            await Assertions.Expect(page.ByTestId("media-item")).ToHaveCountAsync(5);
            await Assertions.Expect(page.ByTestId("media-caption").First).ToHaveTextAsync("Fake post 26");
            await Assertions.Expect(page.ByTestId("media-next")).ToBeDisabledAsync();

            await page.ByTestId("media-prev").ClickAsync();
            await Assertions.Expect(page.ByTestId("media-item")).ToHaveCountAsync(25);
        });

        var authorize = Assert.Single(_graph.RequestsTo("GET", "/oauth/authorize"));
        Assert.Contains("scope=instagram_business_basic%2Cinstagram_business_manage_comments%2Cinstagram_business_manage_messages", authorize.Query);
        Assert.True(_graph.Subscribed);
        var account = await QueryAsync(_app, db => db.InstagramAccounts.SingleAsync(a => a.Username == FakeGraphServer.Username));
        var ownerTenant = await QueryAsync(_app, db => db.Users.Where(u => u.Username == DemoAccounts.OwnerUserName).Select(u => u.TenantId).SingleAsync());
        Assert.Equal(ownerTenant, account.TenantId);
        Assert.Equal(InstagramConnectionStatus.Connected, account.Status);
    }

    [Fact]
    public async Task ACallbackWithAForgedState_SaysSo_AndStoresNothing()
    {
        await using var session = await browser.NewPageAsync(_app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await page.GotoAsync($"/instagram/callback?code={_graph.IssueCode(_app.BaseUrl + "/instagram/callback")}&state=forged-state");
            await page.WaitForCircuitAsync();

            await Assertions.Expect(page.ByTestId("instagram-result")).ToHaveAttributeAsync("data-result", "state-invalid");
            await Assertions.Expect(page.ByTestId("instagram-connect")).ToBeVisibleAsync();
        });

        Assert.Empty(_graph.RequestsTo("POST", "/oauth/access_token"));
        Assert.Equal(0, await QueryAsync(_app, db => db.InstagramAccounts.CountAsync(a => a.Username == FakeGraphServer.Username)));
    }

    [Fact]
    public async Task ATokenTheRefreshJobFindsRevoked_ShowsOnOpenPagesLive_AtPhoneSize()
    {
        var workspaceId = await SeedAccountAsync("Layanan Pelanggan", "17841400000000099");
        await using var session = await browser.NewPageAsync(_app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(390, 844);
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await page.GotoAsync($"/instagram?workspace={workspaceId}");
            await page.WaitForCircuitAsync();
            await Assertions.Expect(page.ByTestId("instagram-status")).ToHaveAttributeAsync("data-status", "Connected");

            var table = await session.Context.NewPageAsync();
            await table.SetViewportSizeAsync(390, 844);
            await table.GotoAsync("/workspaces");
            await table.WaitForCircuitAsync();
            var cell = table.Locator("[data-testid='workspace-instagram-Layanan Pelanggan']");
            await Assertions.Expect(cell.Locator("[data-testid=instagram-status]")).ToHaveAttributeAsync("data-status", "Connected");

            // The token is due for refresh and Meta refuses it (190): the job marks the account while both pages stay open.
            var token = await RevokeAndMakeDueAsync(workspaceId);
            var outcome = await RefreshTokensAsync();
            Assert.Equal(1, outcome.Expired);

            await Assertions.Expect(page.ByTestId("instagram-status")).ToHaveAttributeAsync("data-status", "TokenExpired");
            await Assertions.Expect(page.ByTestId("instagram-expired")).ToBeVisibleAsync();
            await Assertions.Expect(cell.Locator("[data-testid=instagram-status]")).ToHaveAttributeAsync("data-status", "TokenExpired");
            await Assertions.Expect(cell.Locator("[data-testid=instagram-connect]")).ToBeVisibleAsync();
            Assert.False(string.IsNullOrEmpty(token));
        });
    }

    private async Task<string> RevokeAndMakeDueAsync(Guid workspaceId)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var secrets = scope.ServiceProvider.GetRequiredService<ISecretProtector>();
        await using var db = scope.ServiceProvider.GetRequiredService<Core.Common.IKelolaDbFactory>().CreateSystem();
        var account = await db.InstagramAccounts.SingleAsync(a => a.WorkspaceId == workspaceId);
        var token = secrets.Unprotect(InstagramAccountService.TokenPurpose, account.AccessTokenEncrypted!)!;
        _graph.RevokeToken(token);
        account.TokenExpiresAt = DateTimeOffset.UtcNow.AddDays(2);
        account.TokenRefreshedAt = DateTimeOffset.UtcNow.AddDays(-50);
        await db.SaveChangesAsync();
        return token;
    }

    private async Task<InstagramTokenRefresher.Outcome> RefreshTokensAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<InstagramTokenRefresher>().RefreshDueAsync();
    }

    [Fact]
    public async Task Owner_DisconnectsFromTheWorkspacesPage_KeepingHistory()
    {
        var workspaceId = await SeedAccountAsync("Layanan Pelanggan", "17841400000000088");
        await using var session = await browser.NewPageAsync(_app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await page.GotoAsync("/workspaces");
            await page.WaitForCircuitAsync();
            var cell = page.Locator("[data-testid='workspace-instagram-Layanan Pelanggan']");
            await Assertions.Expect(cell.Locator("[data-testid=instagram-status]")).ToHaveAttributeAsync("data-status", "Connected");

            await cell.Locator("[data-testid=instagram-disconnect]").ClickAsync();
            await page.ByTestId("instagram-disconnect-confirm").ClickAsync();

            await Assertions.Expect(cell.Locator("[data-testid=instagram-status]")).ToHaveAttributeAsync("data-status", "Disconnected");
        });

        var account = await QueryAsync(_app, db => db.InstagramAccounts.SingleAsync(a => a.WorkspaceId == workspaceId));
        Assert.Equal(InstagramConnectionStatus.Disconnected, account.Status);
        Assert.Null(account.AccessTokenEncrypted);
    }
}
