using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Layout;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Inbox;

/// <summary>A reply typed and not sent is kept in the browser: across chats, a reload and a new sign-in, until it is sent.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ComposerDraftBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task AtPhoneSize_ADraft_SurvivesAnotherChat_AReload_AndTheSessionsEnd_AndGoesWhenSent()
    {
        var agent = await AccessSeed.AddDemoAgentAsync(app);
        var colleague = await AccessSeed.AddDemoAgentAsync(app);
        Guid first, second;
        await using (var db = AccessSeed.System(app))
        {
            var workspace = await db.Workspaces.FirstAsync(w => w.Name == "Toko Utama");
            var seed = Seed.In(db, workspace.TenantId);
            first = seed.Chat(workspace.Id, "Draf Satu", "+6281299992" + Random.Shared.Next(100, 999), c => c.AssignedUserId = agent.UserId).Id;
            second = seed.Chat(workspace.Id, "Draf Dua", "+6281299993" + Random.Shared.Next(100, 999), c => c.AssignedUserId = agent.UserId).Id;
            await db.SaveChangesAsync();
        }
        const string draft = "Baik kak, pesanan\nsedang kami cek";

        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            await page.SignInAsDemoAsync(agent.Username, AccessSeed.Password);
            var box = page.Locator("[data-testid=composer] textarea").First;

            await OpenAsync(page, first);
            await box.FillAsync(draft);
            await OpenAsync(page, second);
            await Assertions.Expect(box).ToHaveValueAsync("");
            await OpenAsync(page, first);
            await Assertions.Expect(box).ToHaveValueAsync(draft);

            await page.ReloadAsync();
            await page.WaitForCircuitAsync();
            await Assertions.Expect(box).ToHaveValueAsync(draft);

            // The session ends without signing out here (cookies gone, as when another device or an admin ends it).
            await page.Context.ClearCookiesAsync();
            await page.GotoAsync("/account/login");
            await page.SignInAsDemoAsync(agent.Username, AccessSeed.Password);
            await OpenAsync(page, first);
            await Assertions.Expect(box).ToHaveValueAsync(draft);
            await LayoutProbe.AssertFitsAsync(page, "a conversation with a kept draft");

            await page.ByTestId("send").ClickAsync();
            await Assertions.Expect(box).ToHaveValueAsync("");
            await page.ReloadAsync();
            await page.WaitForCircuitAsync();
            await Assertions.Expect(page.ByTestId("messages")).ToContainTextAsync("sedang kami cek");
            await Assertions.Expect(box).ToHaveValueAsync("");

            // Signing out here clears this person's drafts (a shared computer).
            await OpenAsync(page, second);
            await box.FillAsync("rahasia belum terkirim");
            await page.ByTestId("shell-more").ClickAsync();
            await page.ByTestId("more-sign-out").ClickAsync();
            await page.WaitForURLAsync("**/account/login**");
            Assert.Equal(0, await DraftsAsync(page));

            // A session that ends without signing out, then someone else signs in on this browser: the first person's
            // drafts go (QA: they stayed readable for a week).
            await page.SignInAsDemoAsync(agent.Username, AccessSeed.Password);
            await OpenAsync(page, second);
            await box.FillAsync("rahasia lagi");
            Assert.Equal(1, await DraftsAsync(page));
            await page.Context.ClearCookiesAsync();
            await page.GotoAsync("/account/login");
            await page.SignInAsDemoAsync(colleague.Username, AccessSeed.Password);
            await page.GotoAsync("/inbox");
            await page.WaitForCircuitAsync();
            Assert.Equal(0, await DraftsAsync(page));
        });
    }

    private static Task<int> DraftsAsync(IPage page) =>
        page.EvaluateAsync<int>("() => Object.keys(localStorage).filter(k => k.startsWith('kelola.draft.')).length");

    private static async Task OpenAsync(IPage page, Guid chatId)
    {
        await page.GotoAsync($"/inbox/{chatId}");
        await page.WaitForCircuitAsync();
        await page.Locator("[data-testid=composer][data-keys=ready], [data-testid=composer] [data-keys=ready]").First.WaitForAsync();
    }
}
