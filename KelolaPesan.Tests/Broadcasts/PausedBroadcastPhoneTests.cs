using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>At phone size (390x844), in Indonesian: what the pages say about a broadcast waiting for its number and a session the monitor gave up on.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PausedBroadcastPhoneTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task ProgressPage_SaysABroadcastPausedByADisconnect_ResumesByItself()
    {
        Guid tenantId = Guid.Empty, workspaceId = Guid.Empty;
        var broadcast = await InDemoAsync(async (db, tenant, workspace) =>
        {
            (tenantId, workspaceId) = (tenant, workspace);
            var b = new Broadcast
            {
                TenantId = tenant, WorkspaceId = workspace, Name = "Tunggu-" + Guid.NewGuid().ToString("N")[..6], MessageTemplate = "Halo",
                Status = BroadcastStatus.Paused, PauseCause = BroadcastPauseCause.Disconnected, StatusReason = BroadcastDispatcher.DisconnectedReason,
                TotalRecipients = 2, PendingCount = 2,
            };
            db.Broadcasts.Add(b);
            await db.SaveChangesAsync();
            return b;
        });
        try
        {
            await using var owner = await browser.NewPageAsync(app.BaseUrl);
            await owner.RunAsync(async page =>
            {
                await page.SetViewportSizeAsync(390, 844);
                await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
                await page.GotoAsync($"/broadcasts/{broadcast.Id}");
                await page.WaitForCircuitAsync();
                var note = page.ByTestId("broadcast-auto-resume");
                await Assertions.Expect(note).ToContainTextAsync("lanjut sendiri begitu nomornya tersambung lagi");
                await AssertFitsAsync(page, note);
                Assert.Empty(owner.ConsoleErrors);
            });
        }
        finally
        {
            await InDemoAsync((db, _, _) => db.Broadcasts.Where(b => b.Id == broadcast.Id).ExecuteDeleteAsync());
        }
    }

    [Fact]
    public async Task WorkspacesPage_MarksASessionTheMonitorGaveUpOn()
    {
        var name = "Hilang-" + Guid.NewGuid().ToString("N")[..6];
        var ws = await AppWorkspaces.CreateAsync(app, name);
        await InDemoAsync((db, _, _) => db.Workspaces.Where(w => w.Id == ws.WorkspaceId)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.MonitorStoppedAt, DateTimeOffset.UtcNow).SetProperty(w => w.UnknownSessionChecks, 6)));
        try
        {
            await using var owner = await browser.NewPageAsync(app.BaseUrl);
            await owner.RunAsync(async page =>
            {
                await page.SetViewportSizeAsync(390, 844);
                await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
                await page.GotoAsync("/workspaces");
                await page.WaitForCircuitAsync();
                var mark = page.Locator("tr", new() { HasText = name }).Locator("[data-testid=workspace-monitor-stopped]");
                await Assertions.Expect(mark).ToContainTextAsync("Gateway tidak mengenal sesi ini");
                await mark.ScrollIntoViewIfNeededAsync();
                await Assertions.Expect(mark).ToBeVisibleAsync();
                Assert.Empty(owner.ConsoleErrors);
            });
        }
        finally
        {
            await InDemoAsync((db, _, _) => db.Workspaces.Where(w => w.Id == ws.WorkspaceId).ExecuteDeleteAsync());
        }
    }

    /// <summary>The element lies within the phone's width: nothing to scroll sideways for.</summary>
    private static async Task AssertFitsAsync(IPage page, ILocator element)
    {
        var box = await element.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.X + box.Width <= 390 + 1, $"the element spans {box.X}..{box.X + box.Width} on a 390 px screen");
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        var wide = await page.EvaluateAsync<string>("""
            () => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 391)
                .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(' | ')
            """);
        Assert.True(scrollWidth <= 390 + 1, $"the page is {scrollWidth} px wide on a 390 px screen: {wide}");
    }

    private async Task<T> InDemoAsync<T>(Func<IKelolaDb, Guid, Guid, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        var demo = await db.Workspaces.AsNoTracking().Where(w => w.Name == "Toko Utama").Select(w => new { w.TenantId, w.Id }).FirstAsync();
        return await action(db, demo.TenantId, demo.Id);
    }
}
