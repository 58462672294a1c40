using KelolaPesan.Data;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Layout;

/// <summary>
/// The shell's workspaces on every provider. On PostgreSQL the database answers truly asynchronously, so the app bar
/// and the page render before the shell's workspaces are loaded: they must show them once loaded, not "no workspace".
/// (SQLite answers synchronously and hid this.)
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ShellWorkspacesBrowserTests(BrowserFixture browser)
{
    [Theory, Providers]
    public async Task Owner_SeesTheWorkspacesInTheSwitcher_AndOpensTheContactsImportTab_OnDesktop(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await PhoneLayoutBrowserTests.SignInAtAsync(page, LayoutProbe.Desktop.Width, LayoutProbe.Desktop.Height);

            var switcher = page.ByTestId("workspace-switcher");
            await Assertions.Expect(switcher.Locator(".workspace-select")).ToBeVisibleAsync();
            await switcher.Locator(".workspace-select").ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Option, new() { Name = "Toko Utama" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Option, new() { Name = "Layanan Pelanggan" })).ToBeVisibleAsync();
            await page.Keyboard.PressAsync("Escape");

            await page.GotoAsync("/contacts");
            await page.WaitForCircuitAsync();
            await page.GetByRole(AriaRole.Tab, new() { Name = "Impor" }).ClickAsync();
            await page.ByTestId("import-file").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            Assert.Equal(0, await switcher.GetByText("Belum ada workspace").CountAsync());
            Assert.Empty(session.ConsoleErrors);
        });
    }

    [Theory, Providers]
    public async Task Owner_SeesTheWorkspacesInTheMoreMenu_AndOpensTheContactsImportTab_AtPhoneSize(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await PhoneLayoutBrowserTests.SignInAtAsync(page, LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);

            // Opened straight from the address bar: the page renders before the shell has its workspaces.
            await page.GotoAsync("/contacts");
            await page.WaitForCircuitAsync();
            await page.GetByRole(AriaRole.Tab, new() { Name = "Impor" }).ClickAsync();
            await page.ByTestId("import-file").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await LayoutProbe.AssertFitsAsync(page, "/contacts");

            await page.ByTestId("shell-more").ClickAsync();
            await Assertions.Expect(page.ByTestId("more-workspace")).ToHaveCountAsync(2);
            await Assertions.Expect(page.ByTestId("more-workspace").First).ToContainTextAsync("Layanan Pelanggan");
            Assert.Empty(session.ConsoleErrors);
        });
    }

    // The closed switcher shows the selected workspace's count live; the list of every workspace is not re-rendered
    // while closed (issue 21), so opening it must show counts that changed meanwhile, and while open it stays live.
    [Theory, Providers]
    public async Task TheSwitcher_ShowsTheSelectedCountLive_OpensWithCountsChangedMeanwhile_AndStaysLiveOpen(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await PhoneLayoutBrowserTests.SignInAtAsync(page, LayoutProbe.Desktop.Width, LayoutProbe.Desktop.Height);
            var select = page.ByTestId("workspace-switcher").Locator(".workspace-select");
            await Assertions.Expect(select).ToContainTextAsync("Layanan Pelanggan");
            const string shown = "Layanan Pelanggan", hidden = "Toko Utama";
            await select.ClickAsync();
            var other = page.GetByRole(AriaRole.Option, new() { Name = hidden });
            var otherBefore = UnreadIn(await other.InnerTextAsync());
            var shownBefore = UnreadIn(await page.GetByRole(AriaRole.Option, new() { Name = shown }).InnerTextAsync());
            await page.Keyboard.PressAsync("Escape");
            await Assertions.Expect(other).ToBeHiddenAsync();

            await app.SimulateNewCustomerAsync(hidden, "Pembeli Baru", "Kak, masih ada?");
            await app.SimulateNewCustomerAsync(shown, "Pembeli Lain", "Halo CS");

            await Assertions.Expect(select).ToContainTextAsync($"{shown} ({shownBefore + 1})", new() { Timeout = 15_000 });
            await select.ClickAsync();
            await Assertions.Expect(other).ToContainTextAsync($"{hidden} ({otherBefore + 1})");
            // Open, the list follows the counts live.
            await app.SimulateNewCustomerAsync(hidden, "Pembeli Ketiga", "Ada warna lain?");
            await Assertions.Expect(other).ToContainTextAsync($"{hidden} ({otherBefore + 2})", new() { Timeout = 15_000 });
            Assert.Empty(session.ConsoleErrors);
        });
    }

    private static int UnreadIn(string optionText) =>
        System.Text.RegularExpressions.Regex.Match(optionText, @"\((\d+)\)") is { Success: true } m
            ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : 0;

    private static async Task<KelolaAppFactory> StartAsync(DatabaseProvider provider)
    {
        var app = new KelolaAppFactory();
        await app.UseProviderAsync(provider);
        await app.StartAsync();
        return app;
    }
}
