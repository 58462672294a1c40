using KelolaPesan.Core.Accounts;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static KelolaPesan.Tests.Webhooks.AppWorkspaces;

namespace KelolaPesan.Tests.Team;

/// <summary>The team page and /account in real Chromium against the real app: the owner builds the team, anyone changes their password, both at phone size.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TeamBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    private static ILocator Field(IPage page, string testId) => page.Locator($"[data-testid={testId}] input, input[data-testid={testId}]");

    private static ILocator CheckBox(ILocator root) => root.Locator("input[type=checkbox]").Or(root.Locator("xpath=self::input"));

    [Fact]
    public async Task TheOwnerAddsAnAgentWithAWorkspaceAndATypedPassword_AndTheAgentSeesOnlyThatWorkspace()
    {
        var username = "agenbaru" + Random.Shared.Next(1000, 9999);
        const string password = "Pelanggan-Senang-2026";

        await using (var owner = await browser.NewPageAsync(app.BaseUrl))
        {
            await owner.RunAsync(async page =>
            {
                await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
                await page.GotoAsync("/settings/team");
                await page.WaitForCircuitAsync();
                await Assertions.Expect(page.Locator("[data-testid=team-row][data-username=manajer]")).ToBeVisibleAsync();

                await page.ByTestId("team-add").ClickAsync();
                await page.ByTestId("team-add-form").WaitForAsync();
                await Field(page, "team-username").FillAsync(username);
                await Field(page, "team-display-name").FillAsync("Agen Baru");
                await CheckBox(page.Locator("[data-testid=team-workspace][data-name='Layanan Pelanggan']")).CheckAsync();
                await CheckBox(page.ByTestId("team-generate-password")).UncheckAsync();
                await Field(page, "team-password").FillAsync(password);
                await page.ByTestId("team-add-submit").ClickAsync();

                var row = page.ByTestId("team-table").Locator("tr").Filter(new() { Has = page.Locator($"[data-testid=team-row][data-username={username}]") });
                await Assertions.Expect(row.Locator("[data-testid=team-workspaces]")).ToHaveTextAsync("Layanan Pelanggan");
                await Assertions.Expect(page.ByTestId("team-password-value")).ToHaveCountAsync(0);
            });
        }

        await using var agent = await browser.NewPageAsync(app.BaseUrl);
        await agent.RunAsync(async page =>
        {
            await page.SignInAsDemoAsync(username, password);
            var cards = page.ByTestId("workspace-card");
            await Assertions.Expect(cards).ToHaveCountAsync(1);
            await Assertions.Expect(cards).ToContainTextAsync("Layanan Pelanggan");
        });
        Assert.Empty(agent.ConsoleErrors);
    }

    [Fact]
    public async Task AtPhoneSize_DeactivatingAMember_AsksFirst_CancelKeepsThemActive()
    {
        var agent = await AccessSeed.AddDemoAgentAsync(app);
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(390, 844);
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await page.GotoAsync("/settings/team");
            await page.WaitForCircuitAsync();
            var row = page.ByTestId("team-table").Locator("tr").Filter(new() { Has = page.Locator($"[data-testid=team-row][data-username={agent.Username}]") });

            await row.Locator("[data-testid=team-actions] button, button[data-testid=team-actions]").First.ClickAsync();
            await page.ByTestId("team-toggle-active").ClickAsync();
            await Assertions.Expect(page.ByTestId("confirm-message")).ToContainTextAsync("Sesinya berakhir");
            await page.ByTestId("confirm-no").ClickAsync();
            Assert.True(await IsActiveAsync(agent.UserId));

            await row.Locator("[data-testid=team-actions] button, button[data-testid=team-actions]").First.ClickAsync();
            await page.ByTestId("team-toggle-active").ClickAsync();
            await page.ByTestId("confirm-yes").ClickAsync();
            await EventuallyAsync(async () => !await IsActiveAsync(agent.UserId), "the member deactivated");
            await KelolaPesan.Tests.Layout.LayoutProbe.AssertFitsAsync(page, "team page");
        });
    }

    [Fact]
    public async Task AtPhoneSize_AResetPassword_IsCopiedWithOneClick_AndARefusedClipboardIsSaid()
    {
        var agent = await AccessSeed.AddDemoAgentAsync(app);
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = app.BaseUrl });
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(390, 844);
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await page.GotoAsync("/settings/team");
            await page.WaitForCircuitAsync();
            var row = page.ByTestId("team-table").Locator("tr").Filter(new() { Has = page.Locator($"[data-testid=team-row][data-username={agent.Username}]") });
            await row.Locator("[data-testid=team-actions] button, button[data-testid=team-actions]").First.ClickAsync();
            await page.ByTestId("team-reset-password").ClickAsync();
            await page.ByTestId("confirm-yes").ClickAsync();
            var shown = page.ByTestId("team-password-value");
            await Assertions.Expect(shown).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$"));
            var password = await shown.InnerTextAsync();

            await page.ByTestId("team-password-copy").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "Kata sandi disalin." })).ToBeVisibleAsync();
            Assert.Equal(password, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
            await KelolaPesan.Tests.Layout.LayoutProbe.AssertFitsAsync(page, "password dialog");

            // A browser that refuses (plain http, a denied permission) rejects the write: the user is told to copy by hand.
            await page.EvaluateAsync("() => navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'))");
            await page.ByTestId("team-password-copy").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "Peramban menolak menyalin" })).ToBeVisibleAsync();
        });
    }

    private Task<bool> IsActiveAsync(Guid userId) => QueryAsync(app, db => db.Users.Where(u => u.Id == userId).Select(u => u.IsActive).SingleAsync());

    [Fact]
    public async Task AUserChangesTheirOwnPasswordOnTheAccountPage_AndSignsInWithTheNewOne()
    {
        var username = "ubahsandi" + Random.Shared.Next(1000, 9999);
        const string oldPassword = "Lama-Sandi-2025", newPassword = "Baru-Sandi-Kuat-2026";
        await QueryAsync(app, async db =>
        {
            var tenantId = await db.Workspaces.Where(w => w.Name == "Toko Utama").Select(w => w.TenantId).FirstAsync();
            db.Users.Add(new AppUser { TenantId = tenantId, Username = username, DisplayName = "Ubah Sandi", Role = UserRole.Agent, PasswordHash = PasswordHashing.Hash(oldPassword) });
            return await db.SaveChangesAsync();
        });

        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsDemoAsync(username, oldPassword);
            await page.ByTestId("user-name").ClickAsync();
            await page.ByTestId("account-page").WaitForAsync();
            await page.WaitForCircuitAsync();
            await Assertions.Expect(Field(page, "account-sign-in-name")).ToHaveValueAsync(username);

            // A password the policy refuses first: the message is shown and nothing is lost.
            await Field(page, "account-current-password").FillAsync(oldPassword);
            await Field(page, "account-new-password").FillAsync("password123");
            await Field(page, "account-confirm-password").FillAsync("password123");
            await page.ByTestId("account-password-save").ClickAsync();
            await Assertions.Expect(page.ByTestId("form-errors")).ToContainTextAsync("Kata sandi ini termasuk yang paling umum");

            await Field(page, "account-new-password").FillAsync(newPassword);
            await Field(page, "account-confirm-password").FillAsync(newPassword);
            await page.ByTestId("account-password-save").ClickAsync();
            await page.ByTestId("account-password-changed").WaitForAsync();
            await page.WaitForURLAsync("**/account/login");

            await page.SignInAsync(DemoAccounts.LicenceCode, username, oldPassword);
            await page.ByTestId("sign-in-error").WaitForAsync();
            await page.SignInAsDemoAsync(username, newPassword);
            Assert.Equal("/", page.Path());
        });
    }

    [Theory]
    [InlineData("/settings/team", "team-add", false)]
    [InlineData("/account", "account-password-save", false)]
    [InlineData("/account", "account-profile-save", true)]
    public async Task AtPhoneSize_ThePageHasNoSidewaysScroll_AndItsButtonsAndTheAccountLinkAreReachable(string path, string button, bool admin)
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(390, 844);
            if (admin)
                await page.SignInAsAdminAsync();
            else
                await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await page.GotoAsync(path);
            await page.WaitForCircuitAsync();
            await page.ByTestId(button).ScrollIntoViewIfNeededAsync();

            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal scroll");
            // At phone size the account link and sign-out live in the app bar's "more" menu.
            foreach (var testId in new[] { button, "shell-more" })
                await AssertInsidePhoneAsync(page, testId);
            await page.ByTestId("shell-more").ClickAsync();
            foreach (var testId in new[] { "more-account", "more-sign-out" })
            {
                await page.ByTestId(testId).WaitForAsync();
                await AssertInsidePhoneAsync(page, testId);
            }
            await Assertions.Expect(page.ByTestId(button)).ToBeInViewportAsync();

            await page.ByTestId("more-account").ClickAsync();
            await page.ByTestId("account-page").WaitForAsync();
        });
    }

    private static async Task AssertInsidePhoneAsync(IPage page, string testId)
    {
        var box = await page.ByTestId(testId).BoundingBoxAsync();
        Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= 390, $"{testId} lies inside the 390 px screen");
    }
}
