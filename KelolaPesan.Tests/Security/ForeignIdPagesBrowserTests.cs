using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Layout;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Security;

/// <summary>Another tenant's id in a page's address answers 404 with the not-found page, as the REST API does (it was 200 with a notice).</summary>
[Collection(BrowserCollection.Name)]
public sealed class ForeignIdPagesBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task AtPhoneSize_AnotherTenantsChatBroadcastOrSequence_AnswersNotFound()
    {
        var other = await AccessSeed.AddTenantAsync(app);
        Guid demoChat;
        await using (var db = AccessSeed.System(app))
            demoChat = await db.Chats.Where(c => db.Workspaces.Any(w => w.Id == c.WorkspaceId && w.Name == "Toko Utama")).Select(c => c.Id).FirstAsync();

        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            await page.SignInAsync(other.LicenceCode, other.Username, AccessSeed.Password);
            await page.WaitForCircuitAsync();
            foreach (var path in new[] { $"/inbox/{demoChat}", $"/broadcasts/{Guid.NewGuid()}", $"/sequences/{Guid.NewGuid()}", $"/sequences/{Guid.NewGuid()}/edit" })
            {
                var response = await page.GotoAsync(path);
                Assert.True(response!.Status == 404, $"{path} answered {response.Status}");
                await Assertions.Expect(page.ByTestId("not-found")).ToContainTextAsync("Halaman tidak ditemukan");
            }
            await LayoutProbe.AssertFitsAsync(page, "not found");
        });
    }
}
