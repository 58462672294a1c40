using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Admin;

[Collection(BrowserCollection.Name)]
public sealed class LicenceIssueBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task AnAdminIssuesALicence_ThenTheNewTenantSignsInWithTheCodeFromTheDialog()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsAdminAsync();

            await OpenIssueDialogAsync(page);
            await FillAsync(page, "issue-name", "Toko Baru Browser");
            await FillAsync(page, "issue-username", "dewi");
            await FillAsync(page, "issue-display-name", "Dewi Pemilik");
            await FillAsync(page, "issue-password", "Toko-Baru-2026!");
            await page.ByTestId("issue-submit").ClickAsync();

            var codeText = page.ByTestId("licence-code-value");
            await page.Locator("[data-testid=licence-code-value], [data-testid=form-errors]").First.WaitForAsync();
            Assert.Equal(0, await page.ByTestId("form-errors").CountAsync());
            var code = (await codeText.InnerTextAsync()).Trim();
            Assert.Matches("^KPL-[A-Z0-9]{8}-[A-Z0-9]{16}$", code);
            await page.ByTestId("licence-code-close").ClickAsync();
            await codeText.WaitForAsync(new() { State = WaitForSelectorState.Detached });
            // Afterwards only the prefix is visible, never the whole code.
            Assert.Contains(code[..12], await page.ByTestId("licence-table").InnerTextAsync());
            Assert.DoesNotContain(code, await page.ContentAsync());

            await page.ByTestId("sign-out").ClickAsync();
            await page.WaitForURLAsync("**/admin/login");

            await page.SignInAsync(code, "dewi", "Toko-Baru-2026!");
            await page.ByTestId("user-name").WaitForAsync();
            Assert.Equal("Dewi Pemilik", (await page.ByTestId("user-name").InnerTextAsync()).Trim());
            Assert.NotEqual("/account/login", page.Path());
        });
    }

    [Fact]
    public async Task AtPhoneSize_RefusedFields_AreMarkedWhereTheyAre_AndKeepWhatWasTyped()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(390, 844);
            await page.SignInAsAdminAsync();
            await OpenIssueDialogAsync(page);
            await FillAsync(page, "issue-name", "Toko Telepon");
            await FillAsync(page, "issue-username", "nama salah!");
            await FillAsync(page, "issue-display-name", "Rina");
            await FillAsync(page, "issue-password", "Toko-Telepon-2026!");
            await FillAsync(page, "issue-phone", "12");
            await page.ByTestId("issue-submit").ClickAsync();

            // Each refused field says why under itself (a list below the form is out of sight on a phone).
            await Assertions.Expect(FieldError(page, "issue-username")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("huruf, angka"));
            await Assertions.Expect(FieldError(page, "issue-phone")).ToBeVisibleAsync();
            await Assertions.Expect(FieldError(page, "issue-name")).ToHaveCountAsync(0);
            await Assertions.Expect(page.ByTestId("form-errors")).ToHaveCountAsync(0);
            await Assertions.Expect(Input(page, "issue-username")).ToHaveValueAsync("nama salah!");
            await Assertions.Expect(Input(page, "issue-phone")).ToHaveValueAsync("12");
            await Layout.LayoutProbe.AssertFitsAsync(page, "issue licence dialog with refused fields");
        });
    }

    private static async Task OpenIssueDialogAsync(IPage page)
    {
        await page.GotoAsync("/admin/licences");
        await page.ByTestId("admin-licences").WaitForAsync();
        await page.WaitForCircuitAsync();
        await page.ByTestId("issue-tenant").ClickAsync();
        await page.ByTestId("issue-licence-form").WaitForAsync();
    }

    private static ILocator Input(IPage page, string testId) => page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;

    private static ILocator FieldError(IPage page, string testId) =>
        page.Locator($".mud-input-control:has([data-testid={testId}]), .mud-input-control[data-testid={testId}]").Locator(".mud-input-helper-text.mud-input-error");

    /// <summary>Mud text fields put the test id on a wrapper or on the input itself, depending on the component.</summary>
    private static async Task FillAsync(IPage page, string testId, string value)
    {
        var element = page.ByTestId(testId);
        var inner = element.Locator("input, textarea");
        await (await inner.CountAsync() > 0 ? inner.First : element).FillAsync(value);
    }
}
