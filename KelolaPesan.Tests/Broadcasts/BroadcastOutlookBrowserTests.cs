using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Layout;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>
/// In Chromium, in Indonesian, at phone size and desktop: a broadcast waiting outside its sending window says so (on its
/// page and on the home card) with no rate; cancelled, it shows what went out and what was cancelled, never a full bar or a rate.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BroadcastOutlookBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    public static TheoryData<int, int> Sizes => PhoneLayoutBrowserTests.Sizes;

    [Theory, MemberData(nameof(Sizes))]
    public async Task StartedOutsideTheWindow_ShowsTheWaitingReason_ThenCancelled_ShowsFinalNumbersAndNoRate(int width, int height)
    {
        var broadcast = await AddWaitingBroadcastAsync();
        try
        {
            await using var session = await browser.NewPageAsync(app.BaseUrl);
            await session.RunAsync(async page =>
            {
                await PhoneLayoutBrowserTests.SignInAtAsync(page, width, height);

                // The home card: the running broadcast with its reason.
                var card = page.Locator("[data-testid=running-broadcast]", new() { HasText = broadcast.Name });
                await Assertions.Expect(card.Locator("[data-testid=broadcast-waiting]")).ToHaveAttributeAsync("data-reason", "OutsideWindow");
                await Assertions.Expect(card.Locator("[data-testid=broadcast-waiting]")).ToContainTextAsync("di luar jam kirim, mulai lagi");

                await page.GotoAsync($"/broadcasts/{broadcast.Id}");
                await page.WaitForCircuitAsync();
                var waiting = page.ByTestId("broadcast-waiting");
                await Assertions.Expect(waiting).ToHaveAttributeAsync("data-reason", "OutsideWindow");
                await Assertions.Expect(waiting).ToContainTextAsync("Menunggu jam kirim: di luar jam kirim, mulai lagi");
                await Assertions.Expect(page.ByTestId("broadcast-eta")).ToContainTextAsync("Perkiraan selesai");
                await Assertions.Expect(page.ByTestId("broadcast-done")).ToHaveTextAsync("2 / 5 diproses (40%)");
                // Waiting sends nothing: no rate is shown (the reason and the finish above are the positive markers).
                await Assertions.Expect(page.ByTestId("broadcast-rate")).ToHaveCountAsync(0);
                await LayoutProbe.AssertFitsAsync(page, "waiting broadcast");

                await page.ByTestId("broadcast-cancel").ClickAsync();
                await page.ByTestId("confirm-yes").ClickAsync();
                await Assertions.Expect(page.ByTestId("broadcast-status")).ToHaveAttributeAsync("data-status", "Cancelled");
                var final = page.ByTestId("broadcast-final");
                await Assertions.Expect(final).ToHaveTextAsync("2 terkirim · 0 gagal · 3 dibatalkan (tidak dikirim) dari 5 penerima");
                await Assertions.Expect(page.ByTestId("broadcast-progress")).ToHaveAttributeAsync("data-percent", "40");
                await Assertions.Expect(page.ByTestId("broadcast-progress")).ToHaveAttributeAsync("data-phase", "Cancelled");
                await Assertions.Expect(page.ByTestId("broadcast-rate")).ToHaveCountAsync(0);
                await Assertions.Expect(page.ByTestId("broadcast-eta")).ToHaveCountAsync(0);
                await Assertions.Expect(page.ByTestId("broadcast-waiting")).ToHaveCountAsync(0);
                await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("/menit");
                await LayoutProbe.AssertFitsAsync(page, "cancelled broadcast");
                Assert.Empty(session.ConsoleErrors);
            });
        }
        finally
        {
            await InDemoAsync(async (db, _, _) =>
            {
                await db.BroadcastRecipients.Where(r => r.BroadcastId == broadcast.Id).ExecuteDeleteAsync();
                return await db.Broadcasts.Where(b => b.Id == broadcast.Id).ExecuteDeleteAsync();
            });
        }
    }

    /// <summary>
    /// A running broadcast of the demo workspace, 2 of 5 sent, whose own window lies inside the policy's but not around
    /// the present moment (whatever the wall clock says), so the queue is closed for it now.
    /// </summary>
    private Task<Broadcast> AddWaitingBroadcastAsync() => InDemoAsync(async (db, tenantId, workspaceId) =>
    {
        await using var scope = app.Services.CreateAsyncScope();
        var policy = await scope.ServiceProvider.GetRequiredService<PolicyService>().GetEffectiveAsync(tenantId);
        var zone = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.TimeZone).FirstAsync();
        var local = TimeOnly.FromDateTime(TenantTime.InZone(DateTimeOffset.UtcNow, zone).DateTime);
        var (start, end) = (policy.SendWindowStart, policy.SendWindowEnd);
        if (PolicyService.IsInSendWindow(policy, local))
        {
            // A 30-minute window at whichever edge of the policy's is further from now.
            var sinceStart = local - start;
            (start, end) = sinceStart > TimeSpan.FromHours(1) ? (start, start.AddMinutes(30)) : (end.AddMinutes(-30), end);
        }
        var b = new Broadcast
        {
            TenantId = tenantId, WorkspaceId = workspaceId, Name = "Tunggu-" + Guid.NewGuid().ToString("N")[..6], MessageTemplate = "Halo",
            Status = BroadcastStatus.Running, StartedAt = DateTimeOffset.UtcNow, ScheduledAt = DateTimeOffset.UtcNow,
            TotalRecipients = 5, PendingCount = 3, SentCount = 2, MinDelaySeconds = 30, MaxDelaySeconds = 60, BatchSize = 50, BatchRestSeconds = 600,
            DailyCap = 500, WindowStart = start, WindowEnd = end,
        };
        db.Broadcasts.Add(b);
        for (var i = 0; i < 5; i++)
            db.BroadcastRecipients.Add(new BroadcastRecipient
            {
                TenantId = tenantId, WorkspaceId = workspaceId, BroadcastId = b.Id, Phone = $"+62813999{Random.Shared.Next(10000, 99999)}{i}",
                RenderedText = "Halo", IdempotencyKey = $"{b.Id:N}:{i}", Sequence = i, Status = i < 2 ? RecipientStatus.Sent : RecipientStatus.Pending,
            });
        await db.SaveChangesAsync();
        return b;
    });

    private async Task<T> InDemoAsync<T>(Func<IKelolaDb, Guid, Guid, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        var demo = await db.Workspaces.AsNoTracking().Where(w => w.Name == "Toko Utama").Select(w => new { w.TenantId, w.Id }).FirstAsync();
        return await action(db, demo.TenantId, demo.Id);
    }
}
