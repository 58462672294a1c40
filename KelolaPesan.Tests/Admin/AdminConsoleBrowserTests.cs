using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Broadcasts;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Admin;

/// <summary>The admin connection paired from the console on the simulator, and an admin broadcast followed to its end.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminConsoleBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task TheAdminPairsTheAdminWorkspaceByQr_ScanOnTheSimulatorPage_SeesConnectedWithoutReload()
    {
        await using var console = await browser.NewPageAsync(app.BaseUrl);
        await using var phone = await browser.NewPageAsync(app.BaseUrl);
        await console.RunAsync(async page =>
        {
            await page.SignInAsAdminAsync();
            await page.GotoAsync("/admin/notifications");
            await page.WaitForCircuitAsync();
            if (await page.ByTestId("admin-connection-create").CountAsync() > 0)
                await page.ByTestId("admin-connection-create").ClickAsync();
            // Another test may have left it connected: disconnecting (from the console) comes first then.
            await page.Locator("[data-testid=admin-connection-connect], [data-testid=admin-connection-disconnect]").First.WaitForAsync();
            if (await page.ByTestId("admin-connection-disconnect").CountAsync() > 0)
            {
                await page.ByTestId("admin-connection-disconnect").ClickAsync();
                await Assertions.Expect(page.ByTestId("admin-connection-state")).Not.ToHaveAttributeAsync("data-status", "Connected");
            }
            await page.ByTestId("admin-connection-connect").ClickAsync();
            await page.ByTestId("connect-qr").WaitForAsync();
        });

        await phone.RunAsync(async page =>
        {
            await page.SignInAsAdminAsync();
            await page.GotoAsync("/simulator");
            await page.WaitForCircuitAsync();
            await Assertions.Expect(page.ByTestId("sim-workspace")).ToContainTextAsync(AdminConnection.WorkspaceName);
            await page.ByTestId("sim-scan").ClickAsync();
            await Assertions.Expect(page.ByTestId("sim-notice")).ToContainTextAsync("Dipindai");
        });

        await console.RunAsync(async page =>
        {
            await Assertions.Expect(page.ByTestId("admin-connection-state")).ToHaveAttributeAsync("data-status", "Connected");
            await Assertions.Expect(page.ByTestId("connect-dialog")).ToHaveCountAsync(0);
            await Assertions.Expect(page.ByTestId("admin-connection-phone")).Not.ToBeEmptyAsync();
            await Assertions.Expect(page.ByTestId("admin-connection-disconnect")).ToBeVisibleAsync();
            Assert.Empty(console.ConsoleErrors);
        });
    }

    [Fact]
    public async Task AnAdminBroadcast_ToAllOwners_ReachesTheDemoOwnerOnce_AndShowsProgressTo100()
    {
        const string ownerPhone = "+6281298760001";
        var restore = await PrepareAsync(ownerPhone);
        try
        {
            var before = await AdminSentToAsync(ownerPhone);
            await using var console = await browser.NewPageAsync(app.BaseUrl);
            await console.RunAsync(async page =>
            {
                await page.SignInAsAdminAsync();
                await page.GotoAsync("/admin/broadcast");
                await page.WaitForCircuitAsync();
                var demoRow = page.Locator("tr", new() { Has = page.ByTestId("admin-broadcast-tenant").GetByText("Toko Demo", new() { Exact = true }) });
                await Assertions.Expect(demoRow).ToContainTextAsync(ownerPhone);
                await Assertions.Expect(demoRow.GetByTestId("admin-broadcast-skip")).ToBeEmptyAsync();

                await page.Locator("[data-testid=admin-broadcast-name] input, input[data-testid=admin-broadcast-name]").FillAsync("Info-" + Guid.NewGuid().ToString("N")[..6]);
                await page.Locator("[data-testid=admin-broadcast-message] textarea, textarea[data-testid=admin-broadcast-message]").FillAsync("{Halo|Hai} {name} ({tenant}), ada pembaruan platform.");
                await page.ByTestId("admin-broadcast-start").ClickAsync();

                await page.WaitForURLAsync("**/admin/broadcast?id=*");
                await Assertions.Expect(page.ByTestId("broadcast-progress")).ToHaveAttributeAsync("data-percent", "100", new() { Timeout = 30_000 });
                await Assertions.Expect(page.ByTestId("broadcast-status")).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 15_000 });
                Assert.Empty(console.ConsoleErrors);
            });
            var sent = (await AdminSentToAsync(ownerPhone)).Skip(before.Count).ToList();
            var message = Assert.Single(sent);
            Assert.Matches("^(Halo|Hai) .+ \\(Toko Demo\\), ada pembaruan platform\\.$", message.Body);
        }
        finally
        {
            await restore();
        }
    }

    private async Task<IReadOnlyList<GatewayChatMessage>> AdminSentToAsync(string e164)
    {
        using var scope = app.Services.CreateScope();
        var admin = await scope.ServiceProvider.GetRequiredService<AdminConnection>().GetAsync();
        return await app.Services.GetRequiredService<SimulatorGateway>().GetChatMessagesAsync(admin!.SessionName!, ChatIds.FromPhone(e164.TrimStart('+')), 500, true, CancellationToken.None);
    }

    /// <summary>
    /// The admin workspace connected on the simulator, the demo owner's number set, and zero pacing for the platform's tier
    /// (allowed only by a policy override, as the tenant broadcast test does); the returned action puts it all back.
    /// </summary>
    private async Task<Func<Task>> PrepareAsync(string ownerPhone)
    {
        var scope = app.Services.CreateScope();
        var factory = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>();
        var admin = await scope.ServiceProvider.GetRequiredService<AdminConnection>().EnsureAsync(AuditActor.System);
        if (admin.Status != ConnectionStatus.Connected)
        {
            await app.Services.GetRequiredService<SimulatorGateway>().RestoreConnectedAsync(new GatewaySessionSetup(admin.SessionName!,
                new Dictionary<string, string> { ["tenantId"] = admin.TenantId.ToString(), ["workspaceId"] = admin.WorkspaceId.ToString() },
                "http://127.0.0.1/webhooks/whatsapp", "k"), "628000000777", "Admin");
            await using var db = factory.CreateSystem();
            await db.Workspaces.Where(w => w.Id == admin.WorkspaceId).ExecuteUpdateAsync(s => s.SetProperty(w => w.ConnectionStatus, ConnectionStatus.Connected));
        }

        await using var system = factory.CreateSystem();
        var owner = await system.Users.FirstAsync(u => u.Username == DemoAccounts.OwnerUserName && system.Tenants.Any(t => t.Id == u.TenantId && t.Name == "Toko Demo"));
        var previousPhone = owner.Phone;
        owner.Phone = ownerPhone;
        var tier = await system.Licences.Where(l => system.Tenants.Any(t => t.LicenceId == l.Id && t.IsPlatform)).Select(l => l.Tier).FirstAsync();
        await system.SaveChangesAsync();
        var undoPacing = await ZeroPacing.AllowAsync(factory.CreateSystem, tier);
        return async () =>
        {
            await using var db = factory.CreateSystem();
            await db.Users.Where(u => u.Id == owner.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Phone, previousPhone));
            await undoPacing();
            scope.Dispose();
        };
    }
}
