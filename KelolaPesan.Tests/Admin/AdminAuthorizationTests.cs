using System.Reflection;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;

namespace KelolaPesan.Tests.Admin;

/// <summary>Every admin page is for admins only: checked on the page types, then in a real browser as other roles.</summary>
public static class AdminPages
{
    public const string AgencyLicenceCode = "KPL-DEMOAGEN-3MZ8Q2RJ7TK4WX6N";
    public const string AgencyUserName = "agensi";
    public const string AgencyPassword = "Agensi123!";

    public static IReadOnlyList<(Type Page, string Route)> Routable { get; } = typeof(Program).Assembly.GetTypes()
        .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => (t, r.Template)))
        .ToList();

    /// <summary>Every page under /admin except the admin sign-in page.</summary>
    public static IReadOnlyList<string> AdminRoutes { get; } = Routable
        .Select(r => r.Route).Where(r => r.StartsWith("/admin", StringComparison.OrdinalIgnoreCase) && r != "/admin/login").Order().ToList();

    /// <summary>
    /// The roles a page requires: [Authorize] attributes combine (every one must pass), so the page's own
    /// [Authorize(Roles = ...)] next to the folder-wide [Authorize] decides. Null when anonymous users may enter.
    /// </summary>
    public static string? RolesOf(string route)
    {
        var page = Routable.Single(r => r.Route == route).Page;
        if (page.GetCustomAttributes<AllowAnonymousAttribute>().Any())
            return null;
        return string.Join(";", page.GetCustomAttributes<AuthorizeAttribute>().Select(a => a.Roles).Where(r => r is not null));
    }
}

public sealed class AdminPageAttributeTests
{
    [Fact]
    public void TheConsoleHasAllItsPages() =>
        Assert.Superset(
            new HashSet<string> { "/admin", "/admin/admins", "/admin/licences", "/admin/tenants", "/admin/policies", "/admin/watermark", "/admin/notifications", "/admin/audit", "/admin/broadcast" },
            AdminRoutes().ToHashSet());

    [Fact]
    public void EveryAdminPage_AllowsTheAdminRoleOnly() =>
        Assert.All(AdminPages.AdminRoutes, route => Assert.Equal(Roles.Admin, AdminPages.RolesOf(route)));

    [Fact]
    public void TheAgencyPage_IsForAgencyOwners_AndTheTenantAuditPageForOwners()
    {
        Assert.Equal(Roles.AgencyOwner, AdminPages.RolesOf("/agency"));
        Assert.Equal(Roles.Owner, AdminPages.RolesOf("/settings/audit"));
    }

    private static IEnumerable<string> AdminRoutes() => AdminPages.AdminRoutes;
}

[Collection(BrowserCollection.Name)]
public sealed class AdminAuthorizationBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task ATenantOwner_IsDeniedEveryAdminPage()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await AssertDeniedEverywhereAsync(page);
        });
    }

    [Fact]
    public async Task AnAgencyOwner_IsDeniedEveryAdminPage_AndSeesOnlyItsOwnTenantsOnTheAgencyPage()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsync(AdminPages.AgencyLicenceCode, AdminPages.AgencyUserName, AdminPages.AgencyPassword);
            await page.ByTestId("agency-home").WaitForAsync();
            await AssertDeniedEverywhereAsync(page);

            await page.GotoAsync("/agency");
            await page.ByTestId("agency-home").WaitForAsync();
            await page.WaitForCircuitAsync();
            // The demo tenant "Toko Demo" was issued by the platform, not this agency: it must not be listed.
            Assert.Equal(0, await page.ByTestId("licence-name").Filter(new() { HasText = "Toko Demo" }).CountAsync());
        });
    }

    [Fact]
    public async Task AnAdmin_OpensEveryAdminPage_WithoutErrors()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.GotoAsync("/admin/login");
            await page.ByTestId("email").FillAsync(DemoAccounts.AdminEmail);
            await page.ByTestId("password").FillAsync(DemoAccounts.AdminPassword);
            await page.ByTestId("sign-in").ClickAsync();
            await page.ByTestId("admin-home").WaitForAsync();

            foreach (var route in AdminPages.AdminRoutes)
            {
                await page.GotoAsync(route);
                await page.ByTestId(route == "/admin" ? "admin-home" : "admin-" + route.Split('/').Last()).WaitForAsync();
                await page.WaitForCircuitAsync();
            }
            await page.GotoAsync("/admin/audit");
            // The admin's own sign-in is in the log.
            await page.ByTestId("audit-grid").Locator("[data-testid=audit-action-cell][title=\"auth.sign-in\"]").First.WaitForAsync();
            Assert.Empty(session.ConsoleErrors);
        });
    }

    [Fact]
    public async Task ASignedOutBrowser_OnAConsolePage_IsSentToTheConsolesSignIn_AndBackAfterIt()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(390, 844);
            await page.GotoAsync("/admin/tenants");
            await page.WaitForURLAsync("**/admin/login?**");
            await page.ByTestId("email").FillAsync(DemoAccounts.AdminEmail);
            await page.ByTestId("password").FillAsync(DemoAccounts.AdminPassword);
            await page.ByTestId("sign-in").ClickAsync();
            await page.ByTestId("admin-tenants").WaitForAsync();
            Assert.EndsWith("/admin/tenants", page.Url);
        });
    }

    private static async Task AssertDeniedEverywhereAsync(Microsoft.Playwright.IPage page)
    {
        foreach (var route in AdminPages.AdminRoutes)
        {
            await page.GotoAsync(route);
            await page.ByTestId("access-denied").WaitForAsync();
            Assert.Equal(0, await page.Locator("[data-testid^=admin-]").CountAsync());
        }
    }
}
