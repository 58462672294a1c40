using KelolaPesan.Tests.Infrastructure;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Layout;

/// <summary>Destructive actions ask first: saying no changes nothing, saying yes does it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConfirmationBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task RevokingAnApiKey_AsksFirst()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await PhoneLayoutBrowserTests.SignInAtAsync(page, LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            await page.GotoAsync("/settings/api");
            await page.WaitForCircuitAsync();
            var name = "Kasir " + Guid.NewGuid().ToString("N")[..6];
            await page.Locator("[data-testid=api-key-name] input, input[data-testid=api-key-name]").FillAsync(name);
            await page.ByTestId("api-key-create").ClickAsync();
            var row = page.Locator("[data-testid=api-key-table] tr", new() { HasText = name });
            await row.WaitForAsync();
            var activeText = await row.InnerTextAsync();

            await row.Locator("[data-testid=api-key-revoke]").ClickAsync();
            await Assertions.Expect(page.ByTestId("confirm-message")).ToContainTextAsync(name);
            Assert.True(await LayoutProbe.InsideViewportAsync(page.ByTestId("confirm-yes")));
            await page.ByTestId("confirm-no").ClickAsync();
            await Assertions.Expect(page.ByTestId("confirm-dialog")).ToHaveCountAsync(0);
            await Assertions.Expect(row.Locator("[data-testid=api-key-revoke]")).ToBeVisibleAsync();

            await row.Locator("[data-testid=api-key-revoke]").ClickAsync();
            await page.ByTestId("confirm-yes").ClickAsync();
            await Assertions.Expect(row.Locator("[data-testid=api-key-revoke]")).ToHaveCountAsync(0);
            Assert.NotEqual(activeText, await row.InnerTextAsync());
        });
    }

    [Fact]
    public async Task CancellingABroadcast_AsksFirst_AndItsProgressPageFitsAPhone()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await PhoneLayoutBrowserTests.SignInAtAsync(page, LayoutProbe.Desktop.Width, LayoutProbe.Desktop.Height);
            await page.GotoAsync("/broadcasts/new");
            await page.WaitForCircuitAsync();
            var name = "Batal-" + Guid.NewGuid().ToString("N")[..6];
            await page.Locator("[data-testid=broadcast-name] input, input[data-testid=broadcast-name]").FillAsync(name);
            // Many numbers at the policy's pacing: it is still running when the test cancels it.
            await page.Locator("[data-testid=audience-numbers] textarea, textarea[data-testid=audience-numbers]").FillAsync(
                string.Join("\n", Enumerable.Range(0, 20).Select(i => $"0813{Random.Shared.Next(1000000, 9999999)}")));
            await page.Locator("[data-testid=broadcast-message] textarea, textarea[data-testid=broadcast-message]").FillAsync("Halo {name|Kak}");
            await page.ByTestId("broadcast-create").ClickAsync();
            // Creating materialises the audience first: under load that took over the default 10 s once.
            await page.WaitForURLAsync("**/broadcasts/*-*", new() { Timeout = 30_000 });
            await page.ByTestId("broadcast-progress").WaitForAsync();

            foreach (var (width, height) in new[] { LayoutProbe.Phone, LayoutProbe.Desktop })
            {
                await page.SetViewportSizeAsync(width, height);
                await LayoutProbe.AssertFitsAsync(page, "broadcast progress");
            }
            await page.SetViewportSizeAsync(LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);

            await page.ByTestId("broadcast-cancel").ClickAsync();
            await Assertions.Expect(page.ByTestId("confirm-message")).ToContainTextAsync(name);
            await page.ByTestId("confirm-no").ClickAsync();
            await Assertions.Expect(page.ByTestId("confirm-dialog")).ToHaveCountAsync(0);
            await Assertions.Expect(page.ByTestId("broadcast-status")).Not.ToHaveAttributeAsync("data-status", "Cancelled");

            await page.ByTestId("broadcast-cancel").ClickAsync();
            await page.ByTestId("confirm-yes").ClickAsync();
            await Assertions.Expect(page.ByTestId("broadcast-status")).ToHaveAttributeAsync("data-status", "Cancelled");
            await LayoutProbe.AssertFitsAsync(page, "cancelled broadcast");
        });
    }

    [Fact]
    public async Task AtPhoneSize_DisconnectingANumber_AsksFirst_AndCancellingKeepsItConnected()
    {
        await using var owner = await browser.NewPageAsync(app.BaseUrl);
        await owner.RunAsync(async page =>
        {
            await PhoneLayoutBrowserTests.SignInAtAsync(page, LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            await page.GotoAsync("/workspaces");
            await page.WaitForCircuitAsync();
            var disconnect = page.ByTestId("workspace-disconnect").First;
            await disconnect.ClickAsync();
            await Assertions.Expect(page.ByTestId("confirm-message")).ToContainTextAsync("kode QR");
            Assert.True(await LayoutProbe.InsideViewportAsync(page.ByTestId("confirm-yes")));
            await page.ByTestId("confirm-no").ClickAsync();
            await Assertions.Expect(page.ByTestId("confirm-dialog")).ToHaveCountAsync(0);
            // Not disconnected: the button is still offered (it shows only for a connected number).
            await Assertions.Expect(page.ByTestId("workspace-disconnect").First).ToBeVisibleAsync();
        });
    }
}
