using KelolaPesan.Tests.Infrastructure;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Layout;

/// <summary>The menu and the page use one name: the nav link's text is the heading of the page it opens (issue 19: nav "Broadcast", page "Siaran").</summary>
[Collection(BrowserCollection.Name)]
public sealed class NavNamingBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    private static readonly string[] Pages = ["/contacts", "/broadcasts", "/sequences", "/automation", "/instagram", "/workspaces", "/settings", "/settings/api", "/settings/team", "/settings/audit", "/settings/privacy"];

    [Theory]
    [InlineData("id")]
    [InlineData("en")]
    public async Task EveryNavLink_NamesItsPage_AsThePagesHeadingDoes(string culture)
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await PhoneLayoutBrowserTests.SignInAtAsync(page, LayoutProbe.Desktop.Width, LayoutProbe.Desktop.Height);
            await page.GotoAsync($"/account/culture?culture={culture}&returnUrl=%2F");
            await page.Locator($"html[lang={culture}]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            var mismatches = new List<string>();
            foreach (var path in Pages)
            {
                await page.GotoAsync(path);
                await page.WaitForCircuitAsync();
                var heading = page.Locator("main h4, main h5, .mud-main-content h4, .mud-main-content h5").First;
                await heading.WaitForAsync();
                var nav = (await page.Locator($"[data-testid=nav-menu] a[href='{path}']").First.InnerTextAsync()).Trim();
                var title = (await heading.InnerTextAsync()).Trim();
                if (!string.Equals(nav, title, StringComparison.CurrentCultureIgnoreCase))
                    mismatches.Add($"{path}: nav '{nav}', page '{title}'");
            }
            Assert.True(mismatches.Count == 0, string.Join("; ", mismatches));
        });
    }
}
