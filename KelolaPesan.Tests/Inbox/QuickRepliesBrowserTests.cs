using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Layout;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Inbox;

[Collection(BrowserCollection.Name)]
public sealed class QuickRepliesBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task AtPhoneSize_ASavedReply_LeavesAnEmptyFormWithoutErrors_AndAnEmptySaveNamesTheFieldsAsLabelled()
    {
        var shortcut = "ok" + Guid.NewGuid().ToString("N")[..6];
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await PhoneLayoutBrowserTests.SignInAtAsync(page, LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            await page.GotoAsync("/inbox");
            await page.WaitForCircuitAsync();
            await page.ByTestId("manage-quick-replies").ClickAsync();
            var dialog = page.ByTestId("quick-replies-dialog");
            await Field(page, "quick-reply-shortcut").FillAsync(shortcut);
            await page.Locator("[data-testid=quick-reply-text] textarea, textarea[data-testid=quick-reply-text]").FillAsync("Siap kak, kami cek dulu.");
            await page.ByTestId("quick-reply-save").ClickAsync();

            await Assertions.Expect(page.ByTestId("quick-reply-row").Filter(new() { HasText = "/" + shortcut })).ToHaveCountAsync(1);
            await Assertions.Expect(Field(page, "quick-reply-shortcut")).ToHaveValueAsync("");
            await Assertions.Expect(page.Locator(".mud-dialog .mud-input-helper-text.mud-input-error")).ToHaveCountAsync(0);
            await LayoutProbe.AssertFitsAsync(page, "quick replies dialog");

            await page.ByTestId("quick-reply-save").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-dialog .mud-input-helper-text.mud-input-error").First).ToContainTextAsync("Pintasan");
        });
    }

    private static ILocator Field(IPage page, string testId) => page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;
}
