using KelolaPesan.Core.Accounts;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Layout;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Home;

[Collection(BrowserCollection.Name)]
public sealed class HomeCardsBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    /// <summary>QA: "1 unread chats", "1 unread messages".</summary>
    [Fact]
    public async Task AtPhoneSize_InEnglish_OneOfSomething_IsSingular()
    {
        var account = await AccessSeed.AddTenantAsync(app);
        await using (var db = AccessSeed.System(app))
        {
            var seed = Seed.In(db, account.TenantId);
            var shop = seed.Workspace("Toko Satu", configure: w => (w.UnreadChats, w.UnreadMessages) = (1, 1));
            seed.Chat(shop.Id, "Satu Pesan", "+6281299994" + Random.Shared.Next(100, 999), c => c.UnreadCount = 1);
            (await db.Users.SingleAsync(u => u.Id == account.UserId)).Language = UiLanguage.English;
            await db.SaveChangesAsync();
        }

        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            await page.SignInAsync(account.LicenceCode, account.Username, AccessSeed.Password);
            await page.GotoAsync("/");
            await page.WaitForCircuitAsync();
            await Assertions.Expect(page.ByTestId("unread-chats")).ToHaveTextAsync("1 unread chat");
            await Assertions.Expect(page.ByTestId("unread-messages")).ToHaveTextAsync("1 unread message");
            await Assertions.Expect(page.ByTestId("in-today")).ToHaveTextAsync("0 messages in today");
            await LayoutProbe.AssertFitsAsync(page, "home in English");
        });
    }
}
