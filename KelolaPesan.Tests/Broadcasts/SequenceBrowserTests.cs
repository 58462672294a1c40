using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Broadcasts;

[Collection(BrowserCollection.Name)]
public sealed class SequenceBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task OwnerCreatesASequenceFromTheNavMenu_AndSeesItListed()
    {
        await using var owner = await browser.NewPageAsync(app.BaseUrl);
        await owner.RunAsync(async page =>
        {
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await page.ByTestId("nav-sequences").ClickAsync();
            await page.WaitForURLAsync("**/sequences");
            await page.WaitForCircuitAsync();
            await page.ByTestId("new-sequence").ClickAsync();
            await page.WaitForURLAsync("**/sequences/new");
            await page.WaitForCircuitAsync();

            var name = "Sambutan-" + Guid.NewGuid().ToString("N")[..6];
            // Saving with nothing filled in shows the validator's messages and keeps the page.
            await page.ByTestId("sequence-save").ClickAsync();
            await Assertions.Expect(page.ByTestId("sequence-errors")).ToBeVisibleAsync();

            await page.Locator("[data-testid=sequence-name] input, input[data-testid=sequence-name]").FillAsync(name);
            var messages = page.Locator("[data-testid=step-message] textarea, textarea[data-testid=step-message]");
            await messages.Nth(0).FillAsync("Selamat datang {name|Kak}!");
            await page.ByTestId("add-step").ClickAsync();
            await Assertions.Expect(page.ByTestId("sequence-step")).ToHaveCountAsync(2);
            var time = page.Locator("[data-testid=step-time] input, input[data-testid=step-time]");
            await time.FillAsync("10:30");
            await time.PressAsync("Tab"); // the picker reads its text on change
            await messages.Nth(1).FillAsync("Sudah coba produk kami, {name|Kak}?");
            await page.ByTestId("sequence-save").ClickAsync();

            await page.WaitForURLAsync("**/sequences/*-*");
            await Assertions.Expect(page.ByTestId("sequence-title")).ToHaveTextAsync(name);
            await page.GotoAsync("/sequences");
            await page.WaitForCircuitAsync();
            var row = page.Locator("[data-testid=sequence-list] tr", new() { HasText = name });
            await Assertions.Expect(row).ToBeVisibleAsync();
            await Assertions.Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("2");
            Assert.Empty(owner.ConsoleErrors);
        });
    }
}
