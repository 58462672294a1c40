using Microsoft.Playwright;

namespace KelolaPesan.Tests.Infrastructure;

public static class PageExtensions
{
    /// <summary>
    /// Waits until the Blazor circuit is interactive. The app renders
    /// <c>&lt;span data-testid="circuit-ready" hidden&gt;</c> only then; a click on a
    /// prerendered button before that is silently lost.
    /// </summary>
    public static Task WaitForCircuitAsync(this IPage page) =>
        page.Locator("[data-testid=circuit-ready]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    /// <summary>
    /// The open chat's reply box once Enter sends from it: the composer's key handler is attached a round trip after it
    /// renders, and an Enter before that only breaks the line.
    /// </summary>
    public static async Task<ILocator> ReplyBoxAsync(this IPage page)
    {
        await page.Locator("[data-testid=composer] [data-keys=ready]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        return page.Locator("[data-testid=composer] textarea").First;
    }

    /// <summary>
    /// The file input once Blazor listens to it: <c>InputFile</c> attaches its change handler by JS interop after it
    /// renders (marking the element with <c>_blazorInputFileNextFileId</c>), and files set before that are silently lost.
    /// </summary>
    public static async Task<ILocator> ReadyInputFileAsync(this ILocator input)
    {
        var first = input.First;
        await first.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await first.Page.WaitForFunctionAsync("e => e._blazorInputFileNextFileId !== undefined", await first.ElementHandleAsync());
        return first;
    }

    /// <summary>Shorthand for the app's <c>data-testid</c> attributes.</summary>
    public static ILocator ByTestId(this IPage page, string testId) => page.Locator($"[data-testid={testId}]");

    /// <summary>The path of the page's current address, e.g. <c>/account/login</c>.</summary>
    public static string Path(this IPage page) => new Uri(page.Url).AbsolutePath;

    /// <summary>Signs in on the tenant sign-in page (a static form: no circuit to wait for before typing).</summary>
    public static async Task SignInAsync(this IPage page, string licenceCode, string userName, string password)
    {
        await page.GotoAsync("/account/login");
        await page.ByTestId("licence-code").FillAsync(licenceCode);
        await page.ByTestId("username").FillAsync(userName);
        await page.ByTestId("password").FillAsync(password);
        await page.ByTestId("sign-in").ClickAsync();
    }

    /// <summary>Signs in as a demo tenant user and waits until the shell is interactive.</summary>
    public static async Task SignInAsDemoAsync(this IPage page, string userName, string password)
    {
        await page.SignInAsync(Accounts.DemoAccounts.LicenceCode, userName, password);
        // Attached, not visible: below 960 px the switcher lives in the app bar's menu.
        await page.ByTestId("workspace-switcher").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.WaitForCircuitAsync();
    }

    /// <summary>Signs in on the admin sign-in page as the demo admin and waits until the console is interactive.</summary>
    public static async Task SignInAsAdminAsync(this IPage page)
    {
        await page.GotoAsync("/admin/login");
        await page.ByTestId("email").FillAsync(Accounts.DemoAccounts.AdminEmail);
        await page.ByTestId("password").FillAsync(Accounts.DemoAccounts.AdminPassword);
        await page.ByTestId("sign-in").ClickAsync();
        await page.ByTestId("admin-home").WaitForAsync();
        await page.WaitForCircuitAsync();
    }
}
