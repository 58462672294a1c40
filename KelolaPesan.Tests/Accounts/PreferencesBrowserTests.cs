using KelolaPesan.Tests.Infrastructure;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Accounts;

[Collection(BrowserCollection.Name)]
public sealed class PreferencesBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task Language_SwitchesEveryString_AndIsRememberedAtTheNextSignIn()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsDemoAsync("agen2", DemoAccounts.AgentPassword);
            await Assertions.Expect(page.ByTestId("nav-menu")).ToContainTextAsync("Kotak Masuk");

            await page.ByTestId("language-menu").ClickAsync();
            await page.ByTestId("language-en").ClickAsync();

            await Assertions.Expect(page.ByTestId("nav-menu")).ToContainTextAsync("Inbox");
            await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");

            // A new browser has no culture cookie: the stored preference brings English back at sign-in.
            await using var other = await browser.NewPageAsync(app.BaseUrl);
            await other.RunAsync(async second =>
            {
                await second.SignInAsDemoAsync("agen2", DemoAccounts.AgentPassword);
                await Assertions.Expect(second.ByTestId("nav-menu")).ToContainTextAsync("Inbox");
            });

            await page.ByTestId("language-menu").ClickAsync();
            await page.ByTestId("language-id").ClickAsync();
            await Assertions.Expect(page.ByTestId("nav-menu")).ToContainTextAsync("Kotak Masuk");
        });
    }

    [Fact]
    public async Task Theme_SwitchesAtOnce_AndStaysAfterAReload()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            var light = await BackgroundAsync(page);

            await page.ByTestId("theme-toggle").ClickAsync();
            await page.WaitForFunctionAsync("bg => getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').trim() !== bg", light);
            var dark = await BackgroundAsync(page);

            await page.ReloadAsync();
            await page.WaitForCircuitAsync();
            Assert.Equal(dark, await BackgroundAsync(page));

            await page.ByTestId("theme-toggle").ClickAsync();
            await page.WaitForFunctionAsync("bg => getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').trim() === bg", light);
        });
    }

    private static Task<string> BackgroundAsync(IPage page) =>
        page.EvaluateAsync<string>("() => getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').trim()");
}
