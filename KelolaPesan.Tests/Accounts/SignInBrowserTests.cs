using KelolaPesan.Tests.Infrastructure;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Accounts;

[Collection(BrowserCollection.Name)]
public sealed class SignInBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    private const string TenantLoginPath = "/account/login";

    [Fact]
    public async Task Owner_SignsIn_AndSeesTheShellWithTheWorkspaceSwitcher()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsync(DemoAccounts.LicenceCode, DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);

            await page.ByTestId("workspace-switcher").WaitForAsync();
            await page.WaitForCircuitAsync();
            Assert.NotEqual(TenantLoginPath, page.Path(), StringComparer.OrdinalIgnoreCase);
            Assert.Empty(session.ConsoleErrors);
        });
    }

    [Fact]
    public async Task WrongLicenceCode_ShowsTheError_AndSignsNobodyIn()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsync("KPL-BUKANTOKO-AAAAAAAAAAAAAAAA", DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);

            await AssertSignInRefusedAsync(page);
            var cookies = await session.Context.CookiesAsync();
            Assert.DoesNotContain(cookies, IsAuthCookie);
            await AssertAnonymousAsync(page);
        });
    }

    [Fact]
    public async Task WrongPassword_ShowsTheError_AndSignsNobodyIn()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsync(DemoAccounts.LicenceCode, DemoAccounts.OwnerUserName, "Pemilik123!salah");

            await AssertSignInRefusedAsync(page);
            await AssertAnonymousAsync(page);
        });
    }

    [Fact]
    public async Task Agent_OpeningAdmin_IsDeniedAndSeesNoAdminContent()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsync(DemoAccounts.LicenceCode, DemoAccounts.AgentUserName, DemoAccounts.AgentPassword);
            await page.ByTestId("workspace-switcher").WaitForAsync();

            await page.GotoAsync("/admin");

            await page.ByTestId("access-denied").WaitForAsync();
            Assert.Equal(0, await page.ByTestId("admin-home").CountAsync());
        });
    }

    [Fact]
    public async Task AtPhoneSize_AnAgent_HasNoSimulator_InTheMenuOrByAddress()
    {
        // The simulator shows a customer's whole chat (replies in chats assigned to others too) and pairs numbers.
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(390, 844);
            await page.SignInAsync(DemoAccounts.LicenceCode, DemoAccounts.AgentUserName, DemoAccounts.AgentPassword);
            await page.WaitForCircuitAsync();
            Assert.Equal(0, await page.ByTestId("nav-simulator").CountAsync());

            await page.GotoAsync("/simulator");

            await page.ByTestId("access-denied").WaitForAsync();
            Assert.Equal(0, await page.ByTestId("sim-customer").CountAsync());
            await KelolaPesan.Tests.Layout.LayoutProbe.AssertFitsAsync(page, "access denied");
        });
    }

    [Fact]
    public async Task Admin_SignsInAtAdminLogin_AndSeesAdminHome()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.GotoAsync("/admin/login");
            await page.ByTestId("email").FillAsync(DemoAccounts.AdminEmail);
            await page.ByTestId("password").FillAsync(DemoAccounts.AdminPassword);
            await page.ByTestId("sign-in").ClickAsync();

            await page.ByTestId("admin-home").WaitForAsync();
            Assert.NotEqual("/admin/login", page.Path(), StringComparer.OrdinalIgnoreCase);
        });
    }

    private static async Task AssertSignInRefusedAsync(IPage page)
    {
        var error = page.ByTestId("sign-in-error");
        await error.WaitForAsync();
        Assert.False(string.IsNullOrWhiteSpace(await error.InnerTextAsync()), "The sign-in error shows no message.");
        Assert.Equal(TenantLoginPath, page.Path(), StringComparer.OrdinalIgnoreCase);
    }

    // Behaviour, not cookie names: whatever the auth cookie is called, the home page must
    // still send this browser back to the sign-in page.
    private static async Task AssertAnonymousAsync(IPage page)
    {
        await page.GotoAsync("/");
        Assert.Equal(TenantLoginPath, page.Path(), StringComparer.OrdinalIgnoreCase);
    }

    private static bool IsAuthCookie(BrowserContextCookiesResult cookie) =>
        cookie.Name.StartsWith(".AspNetCore.Cookies", StringComparison.OrdinalIgnoreCase)
        || cookie.Name.StartsWith(".AspNetCore.Identity", StringComparison.OrdinalIgnoreCase)
        || cookie.Name.Contains("auth", StringComparison.OrdinalIgnoreCase);
}
