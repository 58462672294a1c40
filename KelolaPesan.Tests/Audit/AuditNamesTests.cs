using System.Globalization;
using System.Resources;
using KelolaPesan.Core.Audit;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Audit;

/// <summary>The audit log reads as sentences, not codes: every action has a name in both languages.</summary>
public sealed class AuditNamesTests
{
    [Theory]
    [InlineData("id")]
    [InlineData("en")]
    public void EveryAuditAction_HasANameInTheLanguage(string culture)
    {
        var resources = new ResourceManager("KelolaPesan.Web.Resources.AdminText", typeof(Program).Assembly)
            .GetResourceSet(culture == "id" ? CultureInfo.InvariantCulture : new CultureInfo(culture), createIfNotExists: true, tryParents: false)!;
        var missing = AuditActions.All.Where(a => string.IsNullOrEmpty(resources.GetString("AuditAction_" + a.Replace('.', '_').Replace('-', '_')))).ToList();
        Assert.True(missing.Count == 0, $"no {culture} name for: {string.Join(", ", missing)}");
    }
}

[Collection(BrowserCollection.Name)]
public sealed class AuditPageBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task TheAdminAudit_ShowsActionNamesAndTheTenantOfEachEntry()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            // The owner's sign-in writes a tenant entry; the admin's a platform one.
            await page.SignInAsDemoAsync(Accounts.DemoAccounts.OwnerUserName, Accounts.DemoAccounts.OwnerPassword);
            await page.Context.ClearCookiesAsync();
            await page.SignInAsAdminAsync();
            await page.GotoAsync("/admin/audit");
            await page.WaitForCircuitAsync();
            var actions = page.ByTestId("audit-action-cell");
            await actions.First.WaitForAsync();
            var names = await actions.AllInnerTextsAsync();
            Assert.Contains("Masuk", names);
            Assert.DoesNotContain(names, n => n.Contains("auth.") || n.Contains("policy."));
            var tenants = await page.ByTestId("audit-tenant-cell").AllInnerTextsAsync();
            Assert.Contains("Toko Demo", tenants);
            Assert.Contains("Platform", tenants);
        });
    }
}
