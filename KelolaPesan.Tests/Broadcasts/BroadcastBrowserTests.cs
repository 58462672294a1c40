using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Broadcasts;
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

    [Fact]
    public async Task AtPhoneSize_TheSendingWindow_IsTakenAsPicked()
    {
        await using var owner = await browser.NewPageAsync(app.BaseUrl);
        var name = "Jendela-" + Guid.NewGuid().ToString("N")[..6];
        await owner.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(390, 844);
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await page.GotoAsync("/broadcasts/new");
            await page.WaitForCircuitAsync();
            await page.Locator("[data-testid=broadcast-name] input, input[data-testid=broadcast-name]").FillAsync(name);
            await page.Locator("[data-testid=audience-numbers] textarea, textarea[data-testid=audience-numbers]").FillAsync("081355550001");
            await page.Locator("[data-testid=broadcast-message] textarea, textarea[data-testid=broadcast-message]").FillAsync("Halo {name|Kak}");
            // A time input: the phone's own picker, never a text an Indonesian "07.00" could be misread from.
            var start = page.Locator("[data-testid=window-start] input, input[data-testid=window-start]");
            Assert.Equal("time", await start.GetAttributeAsync("type"));
            await start.FillAsync("07:00");
            await page.Locator("[data-testid=window-end] input, input[data-testid=window-end]").FillAsync("21:30");
            // For tomorrow (the demo tenant's zone, WIB): sending now would hold the shared demo number's pacing for the other tests.
            await page.ByTestId("send-later").ClickAsync();
            var tomorrow = DateTime.UtcNow.AddHours(7).Date.AddDays(1).AddHours(10);
            await page.Locator("[data-testid=scheduled-at] input, input[data-testid=scheduled-at]").FillAsync(tomorrow.ToString("yyyy-MM-ddTHH:mm"));
            await page.ByTestId("broadcast-create").ClickAsync();
            await page.WaitForURLAsync("**/broadcasts/*-*", new() { Timeout = 30_000 });
            await LayoutProbeFits(page);
        });

        await using var scope = app.Services.CreateAsyncScope();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        var stored = await db.Broadcasts.Where(b => b.Name == name).Select(b => new { b.WindowStart, b.WindowEnd, b.Status }).SingleAsync();
        Assert.Equal((new TimeOnly(7, 0), new TimeOnly(21, 30), BroadcastStatus.Scheduled), (stored.WindowStart, stored.WindowEnd, stored.Status));
        await db.Broadcasts.Where(b => b.Name == name).ExecuteUpdateAsync(s => s.SetProperty(b => b.Status, BroadcastStatus.Cancelled));
    }

    [Theory]
    [InlineData("en-US")] // 12-hour: "09:30 PM", "--:-- --" when empty
    [InlineData("id-ID")]
    public async Task AtPhoneSize_TheWindowTimes_ReadWhole_InA12Or24HourBrowser(string locale)
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl, locale);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(390, 844);
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await page.GotoAsync("/broadcasts/new");
            await page.WaitForCircuitAsync();
            var start = page.Locator("[data-testid=window-start] input, input[data-testid=window-start]");
            await start.FillAsync("21:30");
            await Assertions.Expect(start).ToHaveValueAsync("21:30");
            var pacing = page.Locator(".mud-grid").Filter(new() { Has = start }).Last;
            // The end empty, the start filled: neither the labels nor the browser's own text of a time is cut.
            await Layout.LayoutProbe.AssertNoCutLabelsAsync(pacing, $"sending window ({locale})");
            await Layout.LayoutProbe.AssertFitsAsync(page, "new broadcast");
        });
    }

    private static async Task LayoutProbeFits(IPage page) => await Layout.LayoutProbe.AssertFitsAsync(page, "created broadcast");

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
