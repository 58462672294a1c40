using System.Globalization;
using System.Resources;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Team;
using KelolaPesan.Tests.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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

    [Fact]
    public async Task AtPhoneSize_ASettingsChange_ReadsInTheOwnersLanguage()
    {
        var stamp = Guid.NewGuid().ToString("N")[..8];
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
            var tenantId = await db.Tenants.Where(t => t.Name == "Toko Demo").Select(t => t.Id).FirstAsync();
            await scope.ServiceProvider.GetRequiredService<AuditLog>().WriteAsync(TenancyAuditActions.SettingsChanged, AuditActor.System, tenantId, "Tenant",
                tenantId.ToString(), AuditChanges.Of(("TimeZone", "Asia/Jakarta", "Asia/Jayapura"), ("AssignOnReply", true, false), ("Name", "A", "A"), ("PhoneRegion", "ID", $"X{stamp}")));
        }
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(390, 844);
            await page.SignInAsDemoAsync(Accounts.DemoAccounts.OwnerUserName, Accounts.DemoAccounts.OwnerPassword);
            await page.GotoAsync("/settings/audit");
            await page.WaitForCircuitAsync();
            var cell = page.ByTestId("audit-details-cell").Filter(new() { HasText = stamp });
            await Assertions.Expect(cell).ToHaveTextAsync(
                $"Zona waktu: Asia/Jakarta -> Asia/Jayapura; Tugaskan obrolan saat membalas: ya -> tidak; Wilayah nomor telepon: ID -> X{stamp}");
            await Layout.LayoutProbe.AssertFitsAsync(page, "tenant audit log");
        });
    }

    [Fact]
    public async Task AtPhoneSize_ATeamChange_NamesTheMemberAndWorkspaces_AndEnglishDatesAreDayFirst()
    {
        var account = await AccessSeed.AddTenantAsync(app, agents: 1);
        Guid agentId, branchId;
        await using (var db = AccessSeed.System(app))
        {
            var seed = Seed.In(db, account.TenantId);
            var shop = seed.Workspace("Toko Pusat");
            branchId = seed.Workspace("Cabang").Id;
            var agent = await db.Users.SingleAsync(u => u.TenantId == account.TenantId && u.Username == "agen01");
            agentId = agent.Id;
            db.WorkspaceMembers.Add(new() { TenantId = account.TenantId, WorkspaceId = shop.Id, UserId = agentId });
            (await db.Users.SingleAsync(u => u.Id == account.UserId)).Language = UiLanguage.English;
            await db.SaveChangesAsync();
        }
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().SetTenant(account.TenantId);
            var owner = new TeamActor(account.UserId, UserRole.Owner, new AuditActor(AuditActorType.User, account.UserId, "Pemilik Uji"));
            var changed = await scope.ServiceProvider.GetRequiredService<TeamService>().ChangeAccessAsync(owner, agentId,
                new MemberAccessInput { Role = UserRole.Agent, WorkspaceIds = [branchId] });
            Assert.True(changed.Succeeded);
        }
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(390, 844);
            await page.SignInAsync(account.LicenceCode, account.Username, AccessSeed.Password);
            await page.GotoAsync("/settings/audit");
            await page.WaitForCircuitAsync();
            var cell = page.ByTestId("audit-details-cell").Filter(new() { HasText = "agen01" });
            await Assertions.Expect(cell).ToHaveTextAsync("Member: Agen 1 (agen01); Workspaces of Agen 1: added Cabang; Workspaces of Agen 1: removed Toko Pusat");
            // Day first, as en-GB writes it (06/12/2026 14:30), not the US order of plain "en" (12/6/2026 2:30 PM).
            var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TenantTime.Zone(null)).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
            var at = page.Locator("tr").Filter(new() { Has = cell }).Locator("time");
            await Assertions.Expect(at).ToHaveTextAsync(new System.Text.RegularExpressions.Regex($"^{today} \\d{{2}}:\\d{{2}} "));
            await Layout.LayoutProbe.AssertFitsAsync(page, "tenant audit log");
        });
    }
}
