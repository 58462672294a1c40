using System.Globalization;
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
            await TypeAsync(Field(page, "window-start"), "07:00");
            await TypeAsync(Field(page, "window-end"), "21:30");
            // For tomorrow (the demo tenant's zone, WIB): sending now would hold the shared demo number's pacing for the other tests.
            await page.ByTestId("send-later").ClickAsync();
            var tomorrow = DateTime.UtcNow.AddHours(7).Date.AddDays(1);
            await TypeAsync(Field(page, "scheduled-date"), tomorrow.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture));
            await TypeAsync(Field(page, "scheduled-time"), "10:00");
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
    [InlineData("en-US", "en", ":")] // the browser's own time input read "09:30 PM" here
    [InlineData("id-ID", "id", ".")] // Indonesian writes 21.30, as every other time in the app reads
    public async Task AtPhoneSize_TheScheduleTimes_Read24HourInTheUsersLanguage_WhateverTheBrowsersLocale(string locale, string language, string separator)
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl, locale);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(390, 844);
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await UseLanguageAsync(page, language);
            await page.GotoAsync("/broadcasts/new");
            await page.WaitForCircuitAsync();
            await page.ByTestId("send-later").ClickAsync();
            await Assertions.Expect(Field(page, "scheduled-time")).ToHaveValueAsync(
                new System.Text.RegularExpressions.Regex($"^([01][0-9]|2[0-3]){System.Text.RegularExpressions.Regex.Escape(separator)}00$"));
            await Assertions.Expect(Field(page, "scheduled-date")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^[0-3][0-9]/[01][0-9]/20[0-9]{2}$"));
            var start = Field(page, "window-start");
            await TypeAsync(start, "21:30");
            await Assertions.Expect(start).ToHaveValueAsync("21:30");
            var pacing = page.Locator(".mud-grid").Filter(new() { Has = start }).Last;
            // The end empty, the start filled: neither the labels nor the time is cut.
            await Layout.LayoutProbe.AssertNoCutLabelsAsync(pacing, $"sending window ({locale})");
            await Layout.LayoutProbe.AssertFitsAsync(page, "new broadcast");
        });
    }

    [Fact]
    public async Task AtPhoneSize_InAnEnUsBrowser_TheScheduleReads24HourDayFirst_AndTheBroadcastKeepsItsTime()
    {
        await using var owner = await browser.NewPageAsync(app.BaseUrl, "en-US");
        var name = "Jadwal-" + Guid.NewGuid().ToString("N")[..6];
        var tomorrow = DateTime.UtcNow.AddHours(7).Date.AddDays(1);
        await owner.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(390, 844);
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await UseLanguageAsync(page, "en");
            await page.GotoAsync("/broadcasts/new");
            await page.WaitForCircuitAsync();
            await page.Locator("[data-testid=broadcast-name] input, input[data-testid=broadcast-name]").FillAsync(name);
            await page.Locator("[data-testid=audience-numbers] textarea, textarea[data-testid=audience-numbers]").FillAsync("081355550002");
            await page.Locator("[data-testid=broadcast-message] textarea, textarea[data-testid=broadcast-message]").FillAsync("Halo {name|Kak}");

            await page.ByTestId("send-later").ClickAsync();
            var day = Field(page, "scheduled-date");
            var time = Field(page, "scheduled-time");
            // "Later" starts filled with a whole hour that can still be sent, never empty (which would send now).
            await Assertions.Expect(time).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^([01][0-9]|2[0-3]):00$"));
            await TypeAsync(day, tomorrow.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture));
            await TypeAsync(time, "21:30");
            await Assertions.Expect(day).ToHaveValueAsync(tomorrow.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture));
            await Assertions.Expect(time).ToHaveValueAsync("21:30");

            // The picker's own clock is 24-hour too: no AM/PM to choose.
            await page.Locator(".mud-input-control").Filter(new() { Has = time }).Locator("button").ClickAsync();
            var clock = page.Locator(".mud-popover-open .mud-picker-timepicker-toolbar, .mud-dialog .mud-picker-timepicker-toolbar").First;
            await Assertions.Expect(clock).ToBeVisibleAsync();
            await Assertions.Expect(clock).Not.ToContainTextAsync("AM");
            await Assertions.Expect(clock).Not.ToContainTextAsync("PM");
            await page.Keyboard.PressAsync("Escape");
            await Assertions.Expect(clock).ToBeHiddenAsync();
            await Assertions.Expect(time).ToHaveValueAsync("21:30");

            await Layout.LayoutProbe.AssertNoCutLabelsAsync(page.Locator(".mud-main-content"), "schedule (en-US)");
            await Layout.LayoutProbe.AssertFitsAsync(page, "new broadcast, scheduled");
            await page.ByTestId("broadcast-create").ClickAsync();
            await page.WaitForURLAsync("**/broadcasts/*-*", new() { Timeout = 30_000 });
            await Assertions.Expect(page.ByTestId("broadcast-waiting")).ToContainTextAsync(tomorrow.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) + " 21:30");
        });

        await using var scope = app.Services.CreateAsyncScope();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        var stored = await db.Broadcasts.Where(b => b.Name == name).Select(b => new { b.ScheduledAt, b.Status }).SingleAsync();
        Assert.Equal((new DateTimeOffset(DateTime.SpecifyKind(tomorrow.AddHours(21).AddMinutes(30), DateTimeKind.Unspecified), TimeSpan.FromHours(7)), BroadcastStatus.Scheduled), (stored.ScheduledAt, stored.Status));
        await db.Broadcasts.Where(b => b.Name == name).ExecuteUpdateAsync(s => s.SetProperty(b => b.Status, BroadcastStatus.Cancelled));
    }

    /// <summary>The user's language for this browser only (the culture cookie), leaving the shared demo account's own preference.</summary>
    private async Task UseLanguageAsync(IPage page, string culture) =>
        await page.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = $"c%3D{culture}%7Cuic%3D{culture}", Url = app.BaseUrl }]);

    /// <summary>A picker's text field (MudBlazor puts the test id on the input itself).</summary>
    private static ILocator Field(IPage page, string testId) => page.Locator($"[data-testid={testId}] input, input[data-testid={testId}]");

    /// <summary>Types into a picker's text field and leaves it, as a person tabbing on does (the picker reads the text on change).</summary>
    private static async Task TypeAsync(ILocator input, string text)
    {
        await input.FillAsync(text);
        await input.PressAsync("Tab");
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
