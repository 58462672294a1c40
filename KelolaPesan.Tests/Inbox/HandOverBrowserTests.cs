using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Layout;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Inbox;

[Collection(BrowserCollection.Name)]
public sealed class HandOverBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task AtPhoneSize_AnAgentHandingTheirChatToSomeoneElse_IsBackAtTheList_ToldWhere_NotAtChatNotFound()
    {
        var agent = await AccessSeed.AddDemoAgentAsync(app);
        var colleague = await AccessSeed.AddDemoAgentAsync(app);
        var colleagueName = "Rekan " + Guid.NewGuid().ToString("N")[..6];
        Guid chatId;
        await using (var db = AccessSeed.System(app))
        {
            await db.Users.Where(u => u.Id == colleague.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.DisplayName, colleagueName));
            var workspace = await db.Workspaces.FirstAsync(w => w.Name == "Toko Utama");
            chatId = Seed.In(db, workspace.TenantId).Chat(workspace.Id, "Pembeli Serah", "+6281299990" + Random.Shared.Next(100, 999),
                c => c.AssignedUserId = agent.UserId).Id;
            await db.SaveChangesAsync();
        }

        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            await page.SignInAsDemoAsync(agent.Username, AccessSeed.Password);
            await page.GotoAsync($"/inbox/{chatId}");
            await page.WaitForCircuitAsync();
            await page.ByTestId("conversation-details").ClickAsync();
            await page.Locator("[data-testid=assign]").ClickAsync();
            await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = colleagueName }).ClickAsync();

            await page.WaitForURLAsync("**/inbox");
            await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync($"Obrolan diserahkan ke {colleagueName}.");
            await Assertions.Expect(page.ByTestId("chat-not-found")).ToHaveCountAsync(0);
            await LayoutProbe.AssertFitsAsync(page, "inbox after a hand-over");
        });
        await using var check = AccessSeed.System(app);
        Assert.Equal(colleague.UserId, await check.Chats.Where(c => c.Id == chatId).Select(c => c.AssignedUserId).SingleAsync());
    }
}
