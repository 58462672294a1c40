using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Common;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Layout;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Inbox;

/// <summary>QA: the desktop composer's placeholder (with its keyboard hints) was cut at 1440 and 1280 px.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ComposerPlaceholderBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Theory]
    [InlineData(1440, 900, "id")]
    [InlineData(1280, 800, "id")]
    [InlineData(1280, 800, "en")]
    [InlineData(390, 844, "id")]
    [InlineData(390, 844, "en")]
    public async Task TheComposersPlaceholders_ReadWhole(int width, int height, string language)
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await PhoneLayoutBrowserTests.SignInAtAsync(page, width, height);
            await page.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = $"c%3D{language}%7Cuic%3D{language}", Url = app.BaseUrl }]);
            await page.GotoAsync($"/inbox/{await ADemoChatAsync()}");
            await page.WaitForCircuitAsync();
            var composer = page.Locator(".composer");
            await Assertions.Expect(page.Locator("[data-testid=composer-text] textarea, textarea[data-testid=composer-text]")).ToBeVisibleAsync();
            await LayoutProbe.AssertNoCutPlaceholdersAsync(composer, $"reply placeholder ({language})");
            await page.ByTestId("note-mode").ClickAsync();
            await Assertions.Expect(page.Locator("textarea[data-testid=composer-text], [data-testid=composer-text] textarea"))
                .ToHaveAttributeAsync("placeholder", new System.Text.RegularExpressions.Regex(language == "en" ? "note" : "catatan", System.Text.RegularExpressions.RegexOptions.IgnoreCase));
            await LayoutProbe.AssertNoCutPlaceholdersAsync(composer, $"note placeholder ({language})");
        });
    }

    private async Task<Guid> ADemoChatAsync()
    {
        using var scope = app.Services.CreateScope();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        var shop = await db.Workspaces.SingleAsync(w => w.Name == "Toko Utama");
        return await db.Messages.Where(m => m.WorkspaceId == shop.Id && m.Direction == MessageDirection.Inbound)
            .OrderBy(m => m.Id).Select(m => m.ChatId).FirstAsync();
    }
}
