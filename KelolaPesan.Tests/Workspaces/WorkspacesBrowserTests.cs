using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Workspaces;

[Collection(BrowserCollection.Name)]
public sealed class WorkspacesBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task ConnectOnTheSimulator_ScanOnTheSimulatorPage_ShowsConnectedWithoutReloading()
    {
        await using var owner = await browser.NewPageAsync(app.BaseUrl);
        await using var customer = await browser.NewPageAsync(app.BaseUrl);
        var name = "Cabang-" + Guid.NewGuid().ToString("N")[..6];
        await owner.RunAsync(async page =>
        {
            await SignInAsync(page);
            await page.GotoAsync("/workspaces");
            await page.WaitForCircuitAsync();

            // Create a third workspace (the demo licence allows three), then connect it.
            await page.ByTestId("workspace-create").ClickAsync();
            await page.Locator("input[data-testid=workspace-form-name], [data-testid=workspace-form-name] input").FillAsync(name);
            await page.ByTestId("workspace-form-save").ClickAsync();
            var status = page.ByTestId($"workspace-status-{name}");
            await status.WaitForAsync();
            var row = page.Locator("tr", new() { Has = status });
            await row.GetByTestId("workspace-connect").ClickAsync();
            await page.ByTestId("connect-qr").WaitForAsync();
        });

        await customer.RunAsync(async page =>
        {
            await SignInAsync(page);
            await page.GotoAsync("/simulator");
            await page.WaitForCircuitAsync();
            await page.ByTestId("sim-workspace").ClickAsync();
            await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = name }).ClickAsync();
            await page.ByTestId("sim-scan").ClickAsync();
            await Assertions.Expect(page.ByTestId("sim-notice")).ToContainTextAsync("Dipindai");
        });

        await owner.RunAsync(async page =>
        {
            // The dialog shows Connected and closes; the row's chip turned Connected, with no reload.
            await Assertions.Expect(page.ByTestId($"workspace-status-{name}")).ToContainTextAsync("Terhubung");
            await Assertions.Expect(page.ByTestId("connect-dialog")).ToHaveCountAsync(0);
            Assert.Empty(owner.ConsoleErrors);
        });
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/account/login");
        await page.ByTestId("licence-code").FillAsync(DemoAccounts.LicenceCode);
        await page.ByTestId("username").FillAsync(DemoAccounts.OwnerUserName);
        await page.ByTestId("password").FillAsync(DemoAccounts.OwnerPassword);
        await page.ByTestId("sign-in").ClickAsync();
        await page.ByTestId("workspace-switcher").WaitForAsync();
    }
}
