using System.Net;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Accounts;

/// <summary>
/// Access ends when it should (issue 16, item 3), in a real browser and with the copied cookie replayed from another
/// client. The app revalidates every 2 s here (<see cref="AccessAppFactory"/>); production's default is 30 s.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessRevalidationTests(BrowserFixture browser, AccessAppFactory app) : IClassFixture<AccessAppFactory>
{
    // Two intervals (the circuit's tick may land on an answer cached just before the change) and a margin for a busy machine.
    private const float SignedOutWithinMs = 20_000;

    [Fact]
    public async Task ADeactivatedAgent_OpenInboxIsSignedOutWithoutReload_AndTheOldCookieIsRefused()
    {
        var agent = await AccessSeed.AddDemoAgentAsync(app);
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsDemoAsync(agent.Username, AccessSeed.Password);
            await page.GotoAsync("/inbox");
            await page.WaitForCircuitAsync();
            var cookie = await AccessSeed.CopyAuthCookieAsync(session.Context);
            using (var before = await AccessSeed.ReplayAsync(app, cookie, "/inbox"))
                Assert.Equal(HttpStatusCode.OK, before.StatusCode);

            await using (var db = AccessSeed.System(app))
                await db.Users.Where(u => u.Id == agent.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false));

            await AssertSentToSignInAsync(page);
            using var after = await AccessSeed.ReplayAsync(app, cookie, "/inbox");
            AccessSeed.AssertSentToSignIn(after);
        });
    }

    [Fact]
    public async Task ARotatedStamp_EndsTheCookie_AndAttachmentsAreRefusedToo()
    {
        var agent = await AccessSeed.AddDemoAgentAsync(app);
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsDemoAsync(agent.Username, AccessSeed.Password);
            var cookie = await AccessSeed.CopyAuthCookieAsync(session.Context);

            await Scoped<AccessValidator>().RotateStampAsync(agent.UserId, isAdmin: false);

            await AssertSentToSignInAsync(page);
            using var inbox = await AccessSeed.ReplayAsync(app, cookie, "/inbox");
            AccessSeed.AssertSentToSignIn(inbox);
            using var file = await AccessSeed.ReplayAsync(app, cookie, $"/attachments/{Guid.CreateVersion7()}");
            AccessSeed.AssertSentToSignIn(file);
        });
    }

    [Fact]
    public async Task ASuspendedLicence_StopsItsUsersCircuitAndCookie_AndReactivatedSignInWorksAgain()
    {
        var tenant = await AccessSeed.AddTenantAsync(app);
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await SignInTenantAsync(page, tenant);
            var cookie = await AccessSeed.CopyAuthCookieAsync(session.Context);
            using (var before = await AccessSeed.ReplayAsync(app, cookie, "/"))
                Assert.Equal(HttpStatusCode.OK, before.StatusCode);

            var suspended = await Scoped<LicenceService>().SuspendAsync(tenant.LicenceId, AuditActor.System);
            Assert.Equal(LicenceChange.Done, suspended);

            await AssertSentToSignInAsync(page);
            using (var after = await AccessSeed.ReplayAsync(app, cookie, "/"))
                AccessSeed.AssertSentToSignIn(after);

            // While suspended the right credentials say so, and sign nobody in.
            await page.SignInAsync(tenant.LicenceCode, tenant.Username, AccessSeed.Password);
            await page.ByTestId("sign-in-error").WaitForAsync();

            Assert.Equal(LicenceChange.Done, await Scoped<LicenceService>().ReactivateAsync(tenant.LicenceId, AuditActor.System));
            await SignInTenantAsync(page, tenant);
        });
    }

    [Fact]
    public async Task ADisabledAdmin_IsSignedOutOfTheConsole_TheCookieStops_AndCreatesNoAdmin()
    {
        var email = $"admin-{Guid.NewGuid():N}@uji.local";
        var adminId = await Scoped<AccountService>().CreateAdminAsync(email, "Admin Uji", AccessSeed.Password);
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.GotoAsync("/admin/login");
            await page.ByTestId("email").FillAsync(email);
            await page.ByTestId("password").FillAsync(AccessSeed.Password);
            await page.ByTestId("sign-in").ClickAsync();
            await page.ByTestId("admin-home").WaitForAsync();
            await page.GotoAsync("/admin/admins");
            await page.WaitForCircuitAsync();
            var cookie = await AccessSeed.CopyAuthCookieAsync(session.Context);
            using (var before = await AccessSeed.ReplayAsync(app, cookie, "/admin/admins"))
                Assert.Equal(HttpStatusCode.OK, before.StatusCode);

            Guid demoAdminId;
            await using (var db = AccessSeed.System(app))
                demoAdminId = await db.AdminUsers.Where(a => a.Email == DemoAccounts.AdminEmail).Select(a => a.Id).SingleAsync();
            var disabled = await Scoped<AccountService>().SetAdminActiveAsync(adminId, false, new AuditActor(AuditActorType.Admin, demoAdminId, "Admin"));
            Assert.Equal(AdminChangeResult.Done, disabled);

            // The console's own sign-in, not the tenants' (which asks for a licence code).
            await AssertSentToSignInAsync(page, "/admin/login");
            using (var after = await AccessSeed.ReplayAsync(app, cookie, "/admin/admins"))
                AccessSeed.AssertSentToSignIn(after, "/admin/login");

            // Even a page still open within the interval cannot create an admin in the disabled admin's name.
            var request = new CreateAdminRequest { Email = $"baru-{Guid.NewGuid():N}@uji.local", Name = "Baru", Password = AccessSeed.Password };
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() =>
                Scoped<AccountService>().CreateAdminAsync(request, new AuditActor(AuditActorType.Admin, adminId, "Admin Uji")));
            await using (var db = AccessSeed.System(app))
                Assert.False(await db.AdminUsers.AnyAsync(a => a.Email == request.Email));
        });
    }

    [Fact]
    public async Task SigningOut_EndsTheCookieOnTheServer_SoACopyOfItIsRefused()
    {
        var agent = await AccessSeed.AddDemoAgentAsync(app);
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsDemoAsync(agent.Username, AccessSeed.Password);
            var cookie = await AccessSeed.CopyAuthCookieAsync(session.Context);
            using (var before = await AccessSeed.ReplayAsync(app, cookie, "/inbox"))
                Assert.Equal(HttpStatusCode.OK, before.StatusCode);

            await page.ByTestId("sign-out").ClickAsync();
            await page.WaitForURLAsync("**/account/login**");

            using var after = await AccessSeed.ReplayAsync(app, cookie, "/inbox");
            AccessSeed.AssertSentToSignIn(after);
        });
    }

    private T Scoped<T>() where T : notnull =>
        app.Services.GetRequiredService<IServiceScopeFactory>().CreateScope().ServiceProvider.GetRequiredService<T>();

    private static async Task SignInTenantAsync(IPage page, AccessSeed.TenantAccount tenant)
    {
        await page.SignInAsync(tenant.LicenceCode, tenant.Username, AccessSeed.Password);
        await page.ByTestId("workspace-switcher").WaitForAsync();
        await page.WaitForCircuitAsync();
    }

    /// <summary>The open page goes to the sign-in form by itself (nobody reloads it), and the browser's cookie is gone.</summary>
    private static async Task AssertSentToSignInAsync(IPage page, string login = "/account/login")
    {
        await page.WaitForURLAsync($"**{login}**", new PageWaitForURLOptions { Timeout = SignedOutWithinMs });
        await page.ByTestId("sign-in").WaitForAsync();
        var cookies = await page.Context.CookiesAsync();
        Assert.DoesNotContain(cookies, c => c.Name.StartsWith("kp.auth", StringComparison.Ordinal));
    }
}
