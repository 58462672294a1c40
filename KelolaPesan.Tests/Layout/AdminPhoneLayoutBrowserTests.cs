using KelolaPesan.Tests.Admin;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Layout;

/// <summary>The platform console and the agency owner's pages at phone size (390x844) and on a desktop (1440x900).</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminPhoneLayoutBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    public static TheoryData<int, int> Sizes => PhoneLayoutBrowserTests.Sizes;

    private static async Task OpenAsync(IPage page, string path, string marker)
    {
        await page.GotoAsync(path);
        await page.WaitForCircuitAsync();
        await page.Locator(marker).First.WaitForAsync();
    }

    // As PageExtensions.SignInAsAdminAsync, with room for the first sign-in of a cold app on a loaded machine.
    private static async Task SignInAsAdminAsync(IPage page)
    {
        await page.GotoAsync("/admin/login", new() { Timeout = 30_000 });
        await page.ByTestId("email").FillAsync(Accounts.DemoAccounts.AdminEmail);
        await page.ByTestId("password").FillAsync(Accounts.DemoAccounts.AdminPassword);
        await page.ByTestId("sign-in").ClickAsync(new() { Timeout = 30_000 });
        await page.ByTestId("admin-home").WaitForAsync(new() { Timeout = 30_000 });
        await page.WaitForCircuitAsync();
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task TheAdminConsole_FitsTheWindow_WithEveryButtonInside(int width, int height)
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(width, height);
            await SignInAsAdminAsync(page);
            await LayoutProbe.AssertFitsAsync(page, "/admin");
            foreach (var (path, marker) in new[]
            {
                ("/admin/admins", "[data-testid=admins-table]"),
                ("/admin/licences", "[data-testid=licence-table]"),
                ("/admin/tenants", "[data-testid=tenants-table]"),
                ("/admin/policies", "[data-testid=admin-policies]"),
                ("/admin/watermark", "[data-testid=watermark-text]"),
                ("/admin/notifications", "[data-testid=admin-notifications]"),
                ("/admin/broadcast", "[data-testid=admin-broadcast]"),
                ("/admin/audit", "[data-testid=audit-grid] time"),
            })
            {
                await OpenAsync(page, path, marker);
                await LayoutProbe.AssertFitsAsync(page, path);
            }

            // The platform has no tenant zone: the console shows the platform's (WIB), and says so.
            var at = page.Locator("[data-testid=audit-grid] time").First;
            Assert.EndsWith("+07:00", await at.GetAttributeAsync("datetime"));
            Assert.EndsWith("WIB", (await at.InnerTextAsync()).Trim());

            // The licence dialog opens inside the window, its buttons reachable.
            await OpenAsync(page, "/admin/licences", "[data-testid=issue-tenant]");
            await page.ByTestId("issue-tenant").ClickAsync();
            var dialog = page.Locator(".mud-dialog").First;
            await dialog.WaitForAsync();
            await LayoutProbe.AssertFitsAsync(page, "issue licence dialog");
            Assert.Empty(session.ConsoleErrors);
        });
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task TheAgencyOwnersPages_FitTheWindow_WithEveryButtonInside(int width, int height)
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(width, height);
            await page.SignInAsync(AdminPages.AgencyLicenceCode, AdminPages.AgencyUserName, AdminPages.AgencyPassword);
            await page.WaitForCircuitAsync();
            await OpenAsync(page, "/agency", "[data-testid=licence-table]");
            await LayoutProbe.AssertFitsAsync(page, "/agency");
            await OpenAsync(page, "/account", "[data-testid=account-page]");
            await LayoutProbe.AssertFitsAsync(page, "/account");

            await OpenAsync(page, "/agency", "[data-testid=agency-new-tenant]");
            await page.ByTestId("agency-new-tenant").ClickAsync();
            await page.Locator(".mud-dialog").First.WaitForAsync();
            await LayoutProbe.AssertFitsAsync(page, "new tenant dialog");
            Assert.Empty(session.ConsoleErrors);
        });
    }
}
