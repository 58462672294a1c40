using System.Globalization;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Tenancy;

/// <summary>One clock: a tenant in Asia/Makassar sees every time at UTC+8, named WITA where it matters, in any page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TenantClockBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task ATenantInMakassar_SeesPlusEightEverywhere_InTheAuditLogTheBroadcastScheduleAndTheInbox()
    {
        // 02:30 UTC is 10:30 in Makassar (WITA), 09:30 in Jakarta and on a UTC server: only the tenant's zone gives 10.30.
        var scheduledAt = new DateTimeOffset(2030, 1, 15, 2, 30, 0, TimeSpan.Zero);
        var broadcast = await InDemoAsync(async (db, tenant, workspace) =>
        {
            await db.Tenants.Where(t => t.Id == tenant).ExecuteUpdateAsync(s => s.SetProperty(t => t.TimeZone, "Asia/Makassar"));
            var b = new Broadcast
            {
                TenantId = tenant, WorkspaceId = workspace, Name = "Jadwal-" + Guid.NewGuid().ToString("N")[..6], MessageTemplate = "Halo",
                Status = BroadcastStatus.Scheduled, ScheduledAt = scheduledAt, TotalRecipients = 1, PendingCount = 1,
            };
            db.Broadcasts.Add(b);
            await db.SaveChangesAsync();
            return b;
        });
        try
        {
            await using var session = await browser.NewPageAsync(app.BaseUrl);
            await session.RunAsync(async page =>
            {
                await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);

                // The broadcast's schedule: the wall-clock time in Makassar, with the zone's name.
                await page.GotoAsync($"/broadcasts/{broadcast.Id}");
                await page.WaitForCircuitAsync();
                var expected = new DateTime(2030, 1, 15, 10, 30, 0).ToString("g", new CultureInfo("id")) + " WITA";
                await Assertions.Expect(page.ByTestId("broadcast-waiting")).ToContainTextAsync(expected);

                // The audit log (this sign-in is in it): every time at +08:00, labelled.
                await page.GotoAsync("/settings/audit");
                await page.WaitForCircuitAsync();
                var auditTimes = page.Locator("[data-testid=audit-grid] time");
                await auditTimes.First.WaitForAsync();
                await AssertAllAtPlusEightAsync(auditTimes, labelled: true);

                // The inbox list and a conversation: the same zone.
                await page.GotoAsync("/inbox");
                await page.WaitForCircuitAsync();
                var rowTimes = page.Locator("[data-testid=chat-row] time");
                await rowTimes.First.WaitForAsync();
                await AssertAllAtPlusEightAsync(rowTimes, labelled: false);
                await page.ByTestId("chat-row").First.ClickAsync();
                var bubbleTimes = page.Locator("[data-testid=message] time");
                await bubbleTimes.First.WaitForAsync();
                await AssertAllAtPlusEightAsync(bubbleTimes, labelled: false);
                Assert.Empty(session.ConsoleErrors);
            });
        }
        finally
        {
            await InDemoAsync(async (db, tenant, _) =>
            {
                await db.Broadcasts.Where(b => b.Id == broadcast.Id).ExecuteDeleteAsync();
                return await db.Tenants.Where(t => t.Id == tenant).ExecuteUpdateAsync(s => s.SetProperty(t => t.TimeZone, Tenant.DefaultTimeZone));
            });
        }
    }

    /// <summary>Each &lt;time&gt; carries its instant with the zone's offset, and its text is that wall-clock time in the user's culture.</summary>
    private static async Task AssertAllAtPlusEightAsync(ILocator times, bool labelled)
    {
        var count = await times.CountAsync();
        for (var i = 0; i < count; i++)
        {
            var at = await times.Nth(i).GetAttributeAsync("datetime");
            var text = (await times.Nth(i).InnerTextAsync()).Trim();
            Assert.True(at is not null && at.EndsWith("+08:00", StringComparison.Ordinal), $"time {i}: datetime {at}");
            var local = DateTimeOffset.Parse(at!, CultureInfo.InvariantCulture);
            // The hour as the Indonesian culture writes it (HH.mm) appears in the text, unless the row shows a date only.
            var hour = local.ToString("t", new CultureInfo("id"));
            Assert.True(text.Contains(hour) || !text.Contains('.'), $"time {i}: '{text}' lacks {hour}");
            if (labelled)
                Assert.EndsWith("WITA", text);
        }
    }

    private async Task<T> InDemoAsync<T>(Func<IKelolaDb, Guid, Guid, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        var demo = await db.Workspaces.AsNoTracking().Where(w => w.Name == "Toko Utama").Select(w => new { w.TenantId, w.Id }).FirstAsync();
        return await action(db, demo.TenantId, demo.Id);
    }
}
