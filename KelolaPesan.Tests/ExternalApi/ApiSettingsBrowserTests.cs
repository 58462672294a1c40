using System.Net;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.ExternalApi;

[Collection(BrowserCollection.Name)]
public sealed class ApiSettingsBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task AnOwnerCreatesAKey_SeesItOnce_AndTheKeyWorksAgainstTheApi()
    {
        await using var owner = await browser.NewPageAsync(app.BaseUrl);
        string fullKey = "";
        await owner.RunAsync(async page =>
        {
            await page.SignInAsDemoAsync(DemoSeeder.OwnerUsername, DemoSeeder.OwnerPassword);
            await page.GotoAsync("/settings/api");
            await page.WaitForCircuitAsync();
            var name = "Toko online " + Guid.NewGuid().ToString("N")[..6];
            await page.Locator("[data-testid=api-key-name] input, input[data-testid=api-key-name]").FillAsync(name);
            await page.ByTestId("api-key-create").ClickAsync();
            fullKey = await page.ByTestId("api-key-full").InnerTextAsync();
            Assert.Matches("^kp_[0-9a-z]{8}_[0-9a-z]{32}$", fullKey);
            await Assertions.Expect(page.ByTestId("api-key-table")).ToContainTextAsync(name);
            await Assertions.Expect(page.ByTestId("api-key-table")).ToContainTextAsync($"kp_{fullKey[3..11]}_");

            // Shown once: a reload lists the key by its prefix only.
            await page.ReloadAsync();
            await page.WaitForCircuitAsync();
            await Assertions.Expect(page.ByTestId("api-key-full")).ToHaveCountAsync(0);
            Assert.DoesNotContain(fullKey, await page.ContentAsync());
        });

        using var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", fullKey);
        using var response = await client.GetAsync("/api/v1/workspaces");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AtPhoneSize_ThePageSaysKeysAreShownOnce_OffersNoRevealAndFitsTheScreen()
    {
        await using var owner = await browser.NewPageAsync(app.BaseUrl);
        await owner.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(390, 844);
            await page.SignInAsDemoAsync(DemoSeeder.OwnerUsername, DemoSeeder.OwnerPassword);
            await page.GotoAsync("/settings/api");
            await page.WaitForCircuitAsync();
            await Assertions.Expect(page.ByTestId("api-key-hint")).ToContainTextAsync("tidak dapat ditampilkan lagi");

            // A key without a name: the message is the page's own, in the user's language.
            await page.ByTestId("api-key-create").ClickAsync();
            await Assertions.Expect(page.ByTestId("api-key-error")).ToContainTextAsync("Isi nama kunci");

            await page.Locator("[data-testid=api-key-name] input, input[data-testid=api-key-name]").FillAsync("Kasir " + Guid.NewGuid().ToString("N")[..6]);
            await page.ByTestId("api-key-create").ClickAsync();
            var shown = page.ByTestId("api-key-full");
            await Assertions.Expect(shown).ToContainTextAsync("kp_");
            var box = await shown.BoundingBoxAsync();
            Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= 390, $"the key runs off the screen: {box?.X} + {box?.Width}");

            // Nothing offers the key again: no reveal button, no password field.
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Tampilkan" })).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("input[type=password]")).ToHaveCountAsync(0);
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
                "the page scrolls sideways at 390 px");
        });
    }

    [Fact]
    public async Task AtPhoneSize_AKeyWhoseMakerLeft_IsShownAsNotWorking()
    {
        var name = "Bekas " + Guid.NewGuid().ToString("N")[..6];
        await using (var scope = app.Services.CreateAsyncScope())
        await using (var db = scope.ServiceProvider.GetRequiredService<KelolaPesan.Core.Common.IKelolaDbFactory>().CreateSystem())
        {
            var tenantId = await db.Users.Where(u => u.Username == DemoSeeder.OwnerUsername).Select(u => u.TenantId!.Value).FirstAsync();
            // Made by a member since removed from the team.
            scope.ServiceProvider.GetRequiredService<KelolaPesan.Core.ExternalApi.ApiKeyService>()
                .Add(db, tenantId, null, name, "gone" + Guid.NewGuid().ToString("N")[..4], "secret", userId: Guid.NewGuid());
            await db.SaveChangesAsync();
        }
        await using var owner = await browser.NewPageAsync(app.BaseUrl);
        await owner.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(390, 844);
            await page.SignInAsDemoAsync(DemoSeeder.OwnerUsername, DemoSeeder.OwnerPassword);
            await page.GotoAsync("/settings/api");
            await page.WaitForCircuitAsync();
            var row = page.Locator("[data-testid=api-key-table] tr", new() { HasText = name });
            await Assertions.Expect(row.Locator("[data-testid=api-key-status]")).ToContainTextAsync("anggota yang membuatnya tidak lagi mengelola");
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
                "the page scrolls sideways at 390 px");
        });
    }
}
