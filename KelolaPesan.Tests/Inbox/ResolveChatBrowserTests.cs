using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Layout;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Inbox;

[Collection(BrowserCollection.Name)]
public sealed class ResolveChatBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task AtPhoneSize_AnAgentResolvesAChat_ItLeavesTheQueue_ShowsUnderResolved_AndOpensAgain()
    {
        var agent = await AccessSeed.AddDemoAgentAsync(app);
        var name = "Pembeli Beres " + Guid.NewGuid().ToString("N")[..6];
        Guid chatId;
        await using (var db = AccessSeed.System(app))
        {
            var workspace = await db.Workspaces.FirstAsync(w => w.Name == "Toko Utama");
            // Newer than every demo chat, so it is on the list's first screen.
            chatId = Seed.In(db, workspace.TenantId).Chat(workspace.Id, name, "+6281299991" + Random.Shared.Next(100, 999),
                c => (c.AssignedUserId, c.LastMessageAt) = (agent.UserId, DateTimeOffset.UtcNow.AddMinutes(1))).Id;
            await db.SaveChangesAsync();
        }

        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            await page.SignInAsDemoAsync(agent.Username, AccessSeed.Password);
            await page.GotoAsync($"/inbox/{chatId}");
            await page.WaitForCircuitAsync();

            await page.ByTestId("resolve-chat").ClickAsync();
            await Assertions.Expect(page.ByTestId("chat-resolved")).ToContainTextAsync("diselesaikan oleh");
            await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Chat ditandai selesai.");
            await Assertions.Expect(page.ByTestId("resolve-chat")).ToHaveAttributeAsync("data-resolved", "true");
            await LayoutProbe.AssertFitsAsync(page, "a resolved conversation");
            // QA: green text on pale green was about 3:1.
            Assert.True(await LayoutProbe.ContrastAsync(page.ByTestId("chat-resolved").Locator("span")) >= 4.5, "the resolved note reads at AA");

            // Out of the queue, in the resolved list.
            await page.ByTestId("conversation-back").ClickAsync();
            await page.WaitForURLAsync("**/inbox");
            await Assertions.Expect(page.ByTestId("chat-row").First).ToBeVisibleAsync();
            await Assertions.Expect(page.ByTestId("chat-title").Filter(new() { HasText = name })).ToHaveCountAsync(0);
            await page.ByTestId("filter-resolved").ClickAsync();
            await Assertions.Expect(page.ByTestId("chat-title").Filter(new() { HasText = name })).ToHaveCountAsync(1);
            await LayoutProbe.AssertFitsAsync(page, "the resolved chats");

            await page.ByTestId("chat-title").Filter(new() { HasText = name }).ClickAsync();
            await page.ByTestId("resolve-chat").ClickAsync();
            await Assertions.Expect(page.ByTestId("chat-resolved")).ToHaveCountAsync(0);
            await Assertions.Expect(page.ByTestId("resolve-chat")).ToHaveAttributeAsync("data-resolved", "false");
        });
        await using var check = AccessSeed.System(app);
        Assert.Null(await check.Chats.Where(c => c.Id == chatId).Select(c => c.ResolvedAt).SingleAsync());
    }
}
