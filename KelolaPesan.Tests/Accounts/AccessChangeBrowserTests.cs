using KelolaPesan.Core.Accounts;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Layout;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Accounts;

/// <summary>
/// A change of access reaches an open page at once, not at the circuit's next check (30 s here, the default): a
/// deactivated agent could still send for that long. The sign-in page then says why the page went away.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessChangeBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task AtPhoneSize_ADeactivatedAgentsOpenInbox_GoesToSignInAtOnce_AndIsToldWhy()
    {
        var agent = await AccessSeed.AddDemoAgentAsync(app);
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            await page.SignInAsDemoAsync(agent.Username, AccessSeed.Password);
            await page.GotoAsync("/inbox");
            await page.WaitForCircuitAsync();

            // What the team page does on deactivation (TeamService): the flag, then the access cache's Forget.
            await using (var db = AccessSeed.System(app))
                await db.Users.Where(u => u.Id == agent.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false));
            app.Services.GetRequiredService<AccessCache>().Forget(agent.UserId, isAdmin: false);

            // Well inside the circuit's 30 s timer, which first ticks 30 s after the page opened.
            await page.WaitForURLAsync("**/account/login**", new() { Timeout = 5_000 });
            await Assertions.Expect(page.ByTestId("session-ended")).ToBeVisibleAsync();
            await LayoutProbe.AssertFitsAsync(page, "sign-in after the session ended");
        });
    }

    [Fact]
    public async Task AVisitorSentToSignIn_IsNotToldASessionEnded()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.GotoAsync("/inbox");
            await page.WaitForURLAsync("**/account/login**");
            await page.ByTestId("sign-in").WaitForAsync();
            await Assertions.Expect(page.ByTestId("session-ended")).ToHaveCountAsync(0);
        });
    }
}
