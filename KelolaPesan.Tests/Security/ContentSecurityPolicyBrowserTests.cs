using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static KelolaPesan.Tests.Webhooks.AppWorkspaces;

namespace KelolaPesan.Tests.Security;

/// <summary>The inbox and a MudBlazor dialog under the real Content-Security-Policy in Chromium: nothing is refused.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    // Recorded in the page before any of its own scripts run (Playwright's init scripts are not subject to the policy).
    private const string RecordViolations = """
        window.__csp = [];
        document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
        """;

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task TheInboxAndTheRenameDialog_RunWithoutAPolicyViolation(int width, int height)
    {
        var chatId = await QueryAsync(app, async db =>
        {
            var ws = await db.Workspaces.FirstAsync(w => w.Name == "Toko Utama");
            return await db.Chats.Where(c => c.WorkspaceId == ws.Id).OrderByDescending(c => c.LastMessageAt).Select(c => c.Id).FirstAsync();
        });

        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.Page.AddInitScriptAsync(RecordViolations);
        await session.RunAsync(async page =>
        {
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await page.SetViewportSizeAsync(width, height);
            var response = await page.GotoAsync($"/inbox/{chatId}");
            Assert.Contains("script-src 'self'", await response!.HeaderValueAsync("content-security-policy"));
            await page.WaitForCircuitAsync();
            // The conversation's and the composer's JS modules are loaded (positive markers that scripts ran).
            await Assertions.Expect(page.ByTestId("conversation-title")).ToBeVisibleAsync();
            await page.ByTestId("rename-chat").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-dialog")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=rename-chat-name] input, input[data-testid=rename-chat-name]")).ToBeVisibleAsync();
            await page.Keyboard.PressAsync("Escape");

            var violations = await page.EvaluateAsync<string[]>("() => window.__csp");
            Assert.Empty(violations);
        });
        Assert.DoesNotContain(session.ConsoleErrors, e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }
}
