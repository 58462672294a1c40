using KelolaPesan.Tests.Admin;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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

    [Fact]
    public async Task AtPhoneSize_APolicyWithANumberOutOfRangeOrNoNumber_IsRefusedWithAMessage_AndNothingIsSaved()
    {
        async Task<int> StoredAsync()
        {
            await using var scope = app.Services.CreateAsyncScope();
            await using var db = scope.ServiceProvider.GetRequiredService<KelolaPesan.Core.Common.IKelolaDbFactory>().CreateSystem();
            return await db.Policies.Where(p => p.Tier == null).Select(p => p.DailyCapPerWorkspace).FirstAsync();
        }
        var before = await StoredAsync();
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(390, 844);
            await SignInAsAdminAsync(page);
            await OpenAsync(page, "/admin/policies", "[data-testid=policy-editor]");
            var editor = page.ByTestId("policy-editor").First;
            var cap = editor.Locator("[data-testid=policy-daily-cap] input, input[data-testid=policy-daily-cap]");

            // Below the range: kept as typed (no silent clamping to 1), refused by the one validator, in Indonesian.
            await cap.FillAsync("-5");
            await cap.BlurAsync();
            await editor.Locator("[data-testid=policy-save]").ClickAsync();
            await Assertions.Expect(editor.Locator("[data-testid=form-errors]")).ToContainTextAsync("Batas harian per workspace");
            Assert.Equal("-5", await cap.InputValueAsync());

            // No number at all: refused before anything is saved (the field's last value was being stored).
            await cap.FillAsync(before.ToString());
            var reconnects = editor.Locator("[data-testid=policy-max-reconnects] input, input[data-testid=policy-max-reconnects]");
            await reconnects.FillAsync("abc");
            await reconnects.BlurAsync();
            await editor.Locator("[data-testid=policy-save]").ClickAsync();
            await Assertions.Expect(editor.Locator("[data-testid=form-errors]")).ToContainTextAsync("bukan angka");
            await LayoutProbe.AssertFitsAsync(page, "/admin/policies with errors");
        });
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task AtPhoneSize_AnOwnerPhoneThatIsNoNumber_IsRefusedWhollyInIndonesian()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(390, 844);
            await SignInAsAdminAsync(page);
            await OpenAsync(page, "/admin/tenants", "[data-testid=tenants-table]");
            var cell = page.ByTestId("owner-phone-cell").First;
            await cell.Locator("[data-testid=owner-phone-edit]").ClickAsync();
            await cell.Locator("[data-testid=owner-phone-input] input, input[data-testid=owner-phone-input]").FillAsync("abc");
            await cell.Locator("[data-testid=owner-phone-save]").ClickAsync();
            var error = cell.Locator("[data-testid=owner-phone-error]");
            await Assertions.Expect(error).ToContainTextAsync("Nomor pemilik tidak valid");
            Assert.DoesNotContain("owner", await error.InnerTextAsync());
            await LayoutProbe.AssertFitsAsync(page, "/admin/tenants with an owner-phone error");
        });
    }
}

