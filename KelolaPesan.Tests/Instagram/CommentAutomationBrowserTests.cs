using KelolaPesan.Core.Instagram;
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
}
