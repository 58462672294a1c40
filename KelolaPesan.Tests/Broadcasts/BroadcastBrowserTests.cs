using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Common;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Broadcasts;

[Collection(BrowserCollection.Name)]
public sealed class BroadcastBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task CreateAndStartOnTheSimulator_ProgressReaches100WithoutReload()
    {
        // Zero pacing is allowed only because the policy says so: the demo licence's tier gets an override for this test.
        var restore = await AllowZeroPacingAsync();
        try
        {
            await using var owner = await browser.NewPageAsync(app.BaseUrl);
            await owner.RunAsync(async page =>
            {
                await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
                await page.GotoAsync("/broadcasts/new");
                await page.WaitForCircuitAsync();
                var name = "Promo-" + Guid.NewGuid().ToString("N")[..6];
                await page.Locator("[data-testid=broadcast-name] input, input[data-testid=broadcast-name]").FillAsync(name);
                await page.Locator("[data-testid=audience-numbers] textarea, textarea[data-testid=audience-numbers]").FillAsync(
                    string.Join("\n", Enumerable.Range(0, 12).Select(i => $"0813{Random.Shared.Next(100000, 999999)}{Random.Shared.Next(1, 10)}")));
                await page.Locator("[data-testid=broadcast-message] textarea, textarea[data-testid=broadcast-message]").FillAsync("{Halo|Hai} {name|Kak}, promo hari ini!");
                // The optional attachment: stored through the upload path and shown as a chip; every message then carries it.
                await (await page.Locator("input[type=file]").ReadyInputFileAsync()).SetInputFilesAsync(new FilePayload
                {
                    Name = "promo.png", MimeType = "image/png", Buffer = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52],
                });
                await Assertions.Expect(page.ByTestId("broadcast-attachment")).ToContainTextAsync("promo.png");
                await page.Locator("[data-testid=pacing-min] input, input[data-testid=pacing-min]").FillAsync("0");
                await page.Locator("[data-testid=pacing-max] input, input[data-testid=pacing-max]").FillAsync("0");
                await page.ByTestId("broadcast-preview").ClickAsync();
                await Assertions.Expect(page.ByTestId("broadcast-preview-panel")).ToContainTextAsync("12");
                await page.ByTestId("broadcast-create").ClickAsync();

                // Creating materialises the audience first: under load that took over the default 10 s once.
                await page.WaitForURLAsync("**/broadcasts/*-*", new() { Timeout = 30_000 });
                await Assertions.Expect(page.ByTestId("broadcast-progress")).ToHaveAttributeAsync("data-percent", "100", new() { Timeout = 30_000 });
                await Assertions.Expect(page.ByTestId("broadcast-status")).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 15_000 });
                await Assertions.Expect(page.ByTestId("count-Skipped")).ToContainTextAsync("0");

                await page.GotoAsync("/broadcasts");
                await page.WaitForCircuitAsync();
                await Assertions.Expect(page.Locator("tr", new() { HasText = name })).ToContainTextAsync("12 / 12");
                Assert.Empty(owner.ConsoleErrors);
            });
        }
        finally
        {
            await restore();
        }
    }

    private async Task<Func<Task>> AllowZeroPacingAsync()
    {
        var scope = app.Services.CreateScope();
        var factory = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>();
        await using var db = factory.CreateSystem();
        var tier = await db.Licences.Where(l => l.CodePrefix != null && db.Tenants.Any(t => t.LicenceId == l.Id && t.Name == "Toko Demo")).Select(l => l.Tier).FirstAsync();
        var undo = await ZeroPacing.AllowAsync(factory.CreateSystem, tier);
        return async () =>
        {
            await undo();
            scope.Dispose();
        };
    }
}
