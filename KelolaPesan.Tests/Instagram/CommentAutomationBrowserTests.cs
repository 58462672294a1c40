using KelolaPesan.Core.Instagram;
using KelolaPesan.Core.Security;
using Microsoft.Extensions.DependencyInjection;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static KelolaPesan.Tests.Webhooks.AppWorkspaces;

namespace KelolaPesan.Tests.Instagram;

/// <summary>The owner connects Instagram, creates a comment automation, and watches a comment get its private reply live (Chromium, fake Graph).</summary>
[Collection(BrowserCollection.Name)]
public sealed class CommentAutomationBrowserTests(BrowserFixture browser) : IAsyncLifetime
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
        _app.ServeInstagramMediaFromItself();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _graph.DisposeAsync();
    }

    [Fact]
    public async Task Owner_CreatesAnAutomation_AndSeesTheCommentAndItsSentReply_WithoutReload()
    {
        await using var session = await browser.NewPageAsync(_app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await page.GotoAsync("/instagram");
            await page.WaitForCircuitAsync();
            await page.ByTestId("instagram-connect").ClickAsync();
            await page.WaitForURLAsync("**/instagram?result=connected*");
            await page.WaitForCircuitAsync();

            await page.GetByRole(AriaRole.Tab, new() { Name = "Otomasi komentar" }).ClickAsync();
            await page.ByTestId("automation-new").ClickAsync();
            await page.Locator("[data-testid=automation-name] input, input[data-testid=automation-name]").FillAsync("Tanya harga");
            var keyword = page.Locator("[data-testid=rule-keyword] input, input[data-testid=rule-keyword]");
            await keyword.FillAsync("harga");
            await keyword.PressAsync("Enter");
            await Assertions.Expect(page.ByTestId("rule-keywords")).ToContainTextAsync("harga");
            await page.Locator("[data-testid=automation-private] textarea, textarea[data-testid=automation-private]").FillAsync("Hai {username}, harga kaos 80rb ya");
            await page.ByTestId("automation-save").ClickAsync();
            await Assertions.Expect(page.ByTestId("automation-row").Filter(new() { HasText = "Tanya harga" })).ToHaveCountAsync(1);

            await page.GetByRole(AriaRole.Tab, new() { Name = "Komentar", Exact = true }).ClickAsync();
            await Assertions.Expect(page.ByTestId("comments-empty")).ToBeVisibleAsync();

            using (var response = await FakeGraphServer.PostWebhookAsync(new Uri($"{_app.BaseUrl}/webhooks/instagram"),
                       FakeGraphServer.CommentWebhook("c-browser-1", "Berapa harga kaosnya?", "5551234", "sinta", "17900000000000009")))
                Assert.True(response.IsSuccessStatusCode);

            var comment = page.Locator("[data-testid=comment][data-comment-id=c-browser-1]");
            await Assertions.Expect(comment.Locator("[data-testid=comment-text]")).ToHaveTextAsync("Berapa harga kaosnya?");
            await Assertions.Expect(comment).ToContainTextAsync("@sinta");
            await Assertions.Expect(comment.Locator("[data-testid=comment-reply]")).ToHaveAttributeAsync("data-status", "Sent");
            await Assertions.Expect(comment.Locator("[data-testid=reply-status]")).ToHaveTextAsync("Terkirim");
            await Assertions.Expect(comment).ToContainTextAsync("Hai sinta, harga kaos 80rb ya");
        });

        var sent = Assert.Single(_graph.PrivateReplies);
        Assert.Equal(("c-browser-1", "Hai sinta, harga kaos 80rb ya"), (sent.CommentId, sent.Text));
        var reply = await QueryAsync(_app, db => db.CommentReplies.SingleAsync());
        Assert.Equal((CommentReplyStatus.Sent, sent.MessageId), (reply.Status, reply.ExternalMessageId));
    }

    [Fact]
    public async Task AKeywordTypedWithoutEnter_IsSaved_AndACommentWithoutIt_GetsNoReply_AtPhoneSize()
    {
        await using var session = await browser.NewPageAsync(_app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(390, 844);
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await page.GotoAsync("/instagram");
            await page.WaitForCircuitAsync();
            await page.ByTestId("instagram-connect").ClickAsync();
            await page.WaitForURLAsync("**/instagram?result=connected*");
            await page.WaitForCircuitAsync();

            await page.GetByRole(AriaRole.Tab, new() { Name = "Otomasi komentar" }).ClickAsync();
            await page.ByTestId("automation-new").ClickAsync();
            await page.Locator("[data-testid=automation-name] input, input[data-testid=automation-name]").FillAsync("Tanya ongkir");
            // Typed, never confirmed with Enter, comma or +: the save must keep it.
            await page.Locator("[data-testid=rule-keyword] input, input[data-testid=rule-keyword]").FillAsync("ongkir");
            await page.Locator("[data-testid=automation-private] textarea, textarea[data-testid=automation-private]").FillAsync("Hai {username}, ongkir 20rb");
            await page.ByTestId("automation-save").ClickAsync();
            var row = page.ByTestId("automation-row").Filter(new() { HasText = "Tanya ongkir" });
            await Assertions.Expect(row).ToHaveCountAsync(1);
            await Assertions.Expect(row).ToContainTextAsync("ongkir");
            await Assertions.Expect(row).Not.ToContainTextAsync("Semua komentar");

            await page.GetByRole(AriaRole.Tab, new() { Name = "Komentar", Exact = true }).ClickAsync();
            using (var response = await FakeGraphServer.PostWebhookAsync(new Uri($"{_app.BaseUrl}/webhooks/instagram"),
                       FakeGraphServer.CommentWebhook("c-nokw-1", "Bagus sekali kak", "5551001", "rina", "17900000000000009")))
                Assert.True(response.IsSuccessStatusCode);
            var comment = page.Locator("[data-testid=comment][data-comment-id=c-nokw-1]");
            await Assertions.Expect(comment.Locator("[data-testid=comment-text]")).ToHaveTextAsync("Bagus sekali kak");
        });

        var automation = await QueryAsync(_app, db => db.CommentAutomations.SingleAsync(a => a.Name == "Tanya ongkir"));
        Assert.Equal(("ongkir", false), (automation.Keywords, automation.AllComments));
        // The comment's event was processed (positive marker) before asserting that no reply went out.
        await EventuallyAsync(() => QueryAsync(_app, db => db.InboundWebhookEvents.AnyAsync(e => e.Payload.Contains("c-nokw-1") && e.ProcessedAt != null)),
            "comment processed");
        Assert.Empty(_graph.PrivateReplies);
        Assert.Equal(0, await QueryAsync(_app, db => db.CommentReplies.CountAsync()));
    }

    [Fact]
    public async Task AnInstagramDm_ShowsInTheInbox_AndTheComposerFollowsThe24HourWindow()
    {
        const string igUser = "17841400000000555";
        await SeedAccountAsync("Toko Utama", igUser);
        using (var response = await FakeGraphServer.PostWebhookAsync(new Uri($"{_app.BaseUrl}/webhooks/instagram"),
                   FakeGraphServer.MessageWebhook("mid-browser-1", "5559876", "Kak, bisa kirim ke Medan?", igUser)))
            Assert.True(response.IsSuccessStatusCode);
        await EventuallyAsync(() => QueryAsync(_app, db => db.Chats.AnyAsync(c => c.ExternalChatId == "5559876")), "Instagram chat created");
        var chatId = await QueryAsync(_app, db => db.Chats.Where(c => c.ExternalChatId == "5559876").Select(c => c.Id).SingleAsync());

        await using var session = await browser.NewPageAsync(_app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await page.GotoAsync($"/inbox/{chatId}");
            await page.WaitForCircuitAsync();
            await Assertions.Expect(page.ByTestId("conversation-channel")).ToHaveAttributeAsync("data-channel", "Instagram");
            await Assertions.Expect(page.ByTestId("composer-window-closed")).ToHaveCountAsync(0);
            var box = page.Locator("[data-testid=composer] textarea").First;
            await box.FillAsync("Bisa kak, ongkir 20rb");
            await page.ByTestId("send").ClickAsync();
            await Assertions.Expect(page.ByTestId("messages")).ToContainTextAsync("Bisa kak, ongkir 20rb");

            // A day later the window is closed: the composer says so and will not send.
            await QueryAsync(_app, db => db.Chats.Where(c => c.Id == chatId).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastInboundAt, DateTimeOffset.UtcNow.AddHours(-25))));
            await page.ReloadAsync();
            await page.WaitForCircuitAsync();
            await Assertions.Expect(page.ByTestId("composer-window-closed")).ToContainTextAsync("24 jam");
            await Assertions.Expect(page.ByTestId("send")).ToBeDisabledAsync();
        });

        var dm = Assert.Single(_graph.DirectMessages);
        Assert.Equal(("5559876", "Bisa kak, ongkir 20rb", igUser), (dm.RecipientId, dm.Text, dm.IgUserId));
    }

    [Fact]
    public async Task AnAgent_SendsAPhotoInAnInstagramDm_AndAFileInstagramRefusesIsExplained_AtPhoneSize()
    {
        const string igUser = "17841400000000556";
        await SeedAccountAsync("Toko Utama", igUser);
        using (var response = await FakeGraphServer.PostWebhookAsync(new Uri($"{_app.BaseUrl}/webhooks/instagram"),
                   FakeGraphServer.MessageWebhook("mid-browser-file", "5559877", "Kak, ada foto produknya?", igUser)))
            Assert.True(response.IsSuccessStatusCode);
        await EventuallyAsync(() => QueryAsync(_app, db => db.Chats.AnyAsync(c => c.ExternalChatId == "5559877")), "Instagram chat created");
        var chatId = await QueryAsync(_app, db => db.Chats.Where(c => c.ExternalChatId == "5559877").Select(c => c.Id).SingleAsync());
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];

        await using var session = await browser.NewPageAsync(_app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(390, 844);
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await page.GotoAsync($"/inbox/{chatId}");
            await page.WaitForCircuitAsync();
            await Assertions.Expect(page.ByTestId("conversation-channel")).ToHaveAttributeAsync("data-channel", "Instagram");
            await Assertions.Expect(page.ByTestId("attach")).ToBeVisibleAsync();

            // A program: Instagram takes no such file, and the composer says which files it does take; nothing is sent.
            await (await page.Locator("[data-testid=composer] input[type=file]").ReadyInputFileAsync()).SetInputFilesAsync(new FilePayload
            {
                Name = "katalog.exe", MimeType = "application/octet-stream", Buffer = [0x4D, 0x5A, 0x90, 0, 3, 0, 0, 0],
            });
            await page.ByTestId("attachment-send").ClickAsync();
            await Assertions.Expect(page.ByTestId("composer-error")).ToContainTextAsync("Instagram hanya menerima gambar JPG, PNG atau GIF");
            await page.ByTestId("attachment-cancel").ClickAsync();

            await (await page.Locator("[data-testid=composer] input[type=file]").ReadyInputFileAsync()).SetInputFilesAsync(new FilePayload
            {
                Name = "produk.png", MimeType = "image/png", Buffer = png,
            });
            await page.Locator("[data-testid=attachment-caption] input, input[data-testid=attachment-caption]").FillAsync("Ini fotonya kak");
            await page.ByTestId("attachment-send").ClickAsync();
            await Assertions.Expect(page.ByTestId("attachment-preview")).ToHaveCountAsync(0);
            await Assertions.Expect(page.ByTestId("message-image")).ToHaveCountAsync(1);
            await Assertions.Expect(page.ByTestId("composer-error")).ToHaveCountAsync(0);
        });

        var dms = _graph.DirectMessages.Where(m => m.RecipientId == "5559877").ToList();
        Assert.Equal(2, dms.Count);
        Assert.Equal("Ini fotonya kak", dms[0].Text);
        Assert.Equal(("image", 200), (dms[1].AttachmentType, dms[1].Media!.Status));
        Assert.Equal(png, dms[1].Media!.Content);
    }

    private async Task SeedAccountAsync(string workspaceName, string instagramUserId)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var secrets = scope.ServiceProvider.GetRequiredService<ISecretProtector>();
        await using var db = scope.ServiceProvider.GetRequiredService<Core.Common.IKelolaDbFactory>().CreateSystem();
        var workspace = await db.Workspaces.Where(w => w.Name == workspaceName).Select(w => new { w.Id, w.TenantId }).FirstAsync();
        db.InstagramAccounts.Add(new InstagramAccount
        {
            TenantId = workspace.TenantId, WorkspaceId = workspace.Id, InstagramUserId = instagramUserId, Username = "seeded",
            AccessTokenEncrypted = secrets.Protect(InstagramAccountService.TokenPurpose, _graph.IssueToken()),
            Status = InstagramConnectionStatus.Connected, TokenExpiresAt = DateTimeOffset.UtcNow.AddDays(50),
        });
        await db.SaveChangesAsync();
    }
}
