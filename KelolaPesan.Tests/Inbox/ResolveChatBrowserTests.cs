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
            // QA: at 390 px the snackbar lay over the header's buttons for its few seconds; nor may it cover the composer.
            Assert.Empty(await CoveredAsync(page.Locator(".conversation-header button, [data-testid=send], [data-testid=composer-text]")));
            var snackbar = (await page.Locator(".mud-snackbar").First.BoundingBoxAsync())!;
            foreach (var bar in new[] { "[data-testid=app-bar]", ".conversation-header" })
            {
                var box = (await page.Locator(bar).First.BoundingBoxAsync())!;
                Assert.False(snackbar.Y < box.Y + box.Height && box.Y < snackbar.Y + snackbar.Height,
                    $"the snackbar ({snackbar.Y:0}..{snackbar.Y + snackbar.Height:0}) lies over {bar} ({box.Y:0}..{box.Y + box.Height:0})");
            }
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

    /// <summary>The visible elements something else lies over (the topmost element at their centre or near it is not them; a round button's corners are not its own).</summary>
    private static Task<string[]> CoveredAsync(ILocator elements) => elements.EvaluateAllAsync<string[]>("""
        els => els.filter(e => {
            const r = e.getBoundingClientRect();
            if (r.width === 0 || r.height === 0) return false;
            const points = [[r.left + r.width / 2, r.top + r.height / 2], [r.left + r.width * 0.3, r.top + r.height * 0.3], [r.right - r.width * 0.3, r.bottom - r.height * 0.3]];
            return points.some(([x, y]) => { const hit = document.elementFromPoint(x, y); return !hit || !(hit === e || e.contains(hit)); });
        }).map(e => `${e.getAttribute('data-testid') || e.getAttribute('aria-label') || e.tagName} covered by ${(() => { const r = e.getBoundingClientRect(); const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); return hit ? (hit.closest('[class]')?.getAttribute('class') || hit.tagName) : 'nothing'; })()}`)
        """);

    [Fact]
    public async Task AtPhoneSize_AResolveJustAfterACustomerMessage_ThePageHadNotShown_KeepsTheChatOpen_AndShowsTheMessage()
    {
        var agent = await AccessSeed.AddDemoAgentAsync(app);
        var name = "Pembeli Susulan " + Guid.NewGuid().ToString("N")[..6];
        Guid chatId, tenantId, workspaceId;
        await using (var db = AccessSeed.System(app))
        {
            var workspace = await db.Workspaces.FirstAsync(w => w.Name == "Toko Utama");
            (tenantId, workspaceId) = (workspace.TenantId, workspace.Id);
            chatId = Seed.In(db, tenantId).Chat(workspaceId, name, "+6281299993" + Random.Shared.Next(100, 999),
                c => (c.AssignedUserId, c.LastMessageAt) = (agent.UserId, DateTimeOffset.UtcNow.AddMinutes(1))).Id;
            await db.SaveChangesAsync();
        }
        await BrowserInbound.ReceiveAsync(app, tenantId, workspaceId, chatId, "barangnya sudah sampai");

        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            await page.SignInAsDemoAsync(agent.Username, AccessSeed.Password);
            await page.GotoAsync($"/inbox/{chatId}");
            await page.WaitForCircuitAsync();
            await Assertions.Expect(page.ByTestId("message")).ToHaveCountAsync(1);

            // Stored, not announced yet: the message is on its way to this page when the agent clicks.
            await BrowserInbound.ReceiveAsync(app, tenantId, workspaceId, chatId, "eh kak, yang satu rusak", announce: false);
            await page.ByTestId("resolve-chat").ClickAsync();

            await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Pelanggan baru saja mengirim pesan");
            await Assertions.Expect(page.ByTestId("resolve-chat")).ToHaveAttributeAsync("data-resolved", "false");
            await Assertions.Expect(page.ByTestId("message").Last).ToContainTextAsync("yang satu rusak");
            await Assertions.Expect(page.ByTestId("chat-resolved")).ToHaveCountAsync(0);
            await LayoutProbe.AssertFitsAsync(page, "a resolve refused for a new message");

            // Now the agent has it on screen: resolving goes through (once the snackbar has left the header, README).
            // The pointer still rests where the button was, on the snackbar, which holds it there while hovered.
            await page.Mouse.MoveAsync(10, 600);
            await Assertions.Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
            await page.ByTestId("resolve-chat").ClickAsync();
            await Assertions.Expect(page.ByTestId("resolve-chat")).ToHaveAttributeAsync("data-resolved", "true");
        });
        await using var check = AccessSeed.System(app);
        Assert.NotNull(await check.Chats.Where(c => c.Id == chatId).Select(c => c.ResolvedAt).SingleAsync());
        Assert.Equal(1, await check.AuditEntries.CountAsync(a => a.TargetId == chatId.ToString() && a.Action == KelolaPesan.Core.Inbox.InboxAuditActions.ChatResolved));
    }
}
