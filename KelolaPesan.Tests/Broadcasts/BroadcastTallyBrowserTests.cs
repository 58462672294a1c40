using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Layout;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>
/// In Chromium, in Indonesian, at phone size and desktop, in a tenant of its own (zone WITA): a paused broadcast stays on
/// the home card with a way to its page; the list shows when each goes out, latest first; a scheduled broadcast has
/// processed nothing, its skipped numbers told apart; cancelled, its queued recipients show as cancelled and the page
/// names who cancelled.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BroadcastTallyBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    private const string Zone = "Asia/Makassar";

    public static TheoryData<int, int> Sizes => PhoneLayoutBrowserTests.Sizes;

    [Theory, MemberData(nameof(Sizes))]
    public async Task PausedOnTheHomeCard_ListBySendTime_ScheduledProcessedNothing_CancelNamesThePerson(int width, int height)
    {
        var owner = await AccessSeed.AddTenantAsync(app);
        var (scheduled, paused) = await AddBroadcastsAsync(owner);

        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(width, height);
            await page.SignInAsync(owner.LicenceCode, owner.Username, AccessSeed.Password);
            await page.WaitForCircuitAsync();

            // The home card keeps the paused one, marked, and leads to its page.
            var card = page.Locator("[data-testid=running-broadcast]", new() { HasText = paused.Name });
            await Assertions.Expect(card).ToHaveAttributeAsync("data-status", "Paused");
            await Assertions.Expect(card.Locator("[data-testid=broadcast-status]")).ToHaveAttributeAsync("data-status", "Paused");
            await Assertions.Expect(card.Locator("[data-testid=broadcast-waiting]")).ToContainTextAsync("Dijeda oleh Pemilik Uji");
            await LayoutProbe.AssertFitsAsync(page, "home with a paused broadcast");
            await card.Locator("a[data-testid=running-broadcast-name]").ClickAsync();
            await page.WaitForURLAsync($"**/broadcasts/{paused.Id}");
            await Assertions.Expect(page.ByTestId("broadcast-status")).ToHaveAttributeAsync("data-status", "Paused");

            // The list: when each goes out, in the tenant's zone; the one going out tomorrow before the one started yesterday.
            await page.GotoAsync("/broadcasts");
            await page.WaitForCircuitAsync();
            var rows = page.Locator("tr", new() { Has = page.ByTestId("broadcast-send-at") });
            await Assertions.Expect(rows).ToHaveCountAsync(2);
            await Assertions.Expect(rows.Nth(0)).ToContainTextAsync(scheduled.Name);
            await Assertions.Expect(rows.Nth(1)).ToContainTextAsync(paused.Name);
            await Assertions.Expect(rows.Nth(0).Locator("[data-testid=broadcast-send-at]")).ToHaveAttributeAsync("datetime", Iso(scheduled.ScheduledAt!.Value));
            await Assertions.Expect(rows.Nth(0).Locator("[data-testid=broadcast-send-at]")).ToContainTextAsync("WITA");
            await Assertions.Expect(rows.Nth(1).Locator("[data-testid=broadcast-send-at]")).ToHaveAttributeAsync("datetime", Iso(paused.StartedAt!.Value));
            await Assertions.Expect(rows.Nth(0).Locator("[data-testid=broadcast-row-progress]")).ToHaveTextAsync("0 / 3 · Terkirim 0 · Gagal 0 · Dilewati 2");
            await LayoutProbe.AssertFitsAsync(page, "broadcast list");

            // Scheduled: nothing processed yet, the skipped apart.
            await page.GotoAsync($"/broadcasts/{scheduled.Id}");
            await page.WaitForCircuitAsync();
            await Assertions.Expect(page.ByTestId("broadcast-done")).ToHaveTextAsync("0 / 3 diproses (0%)");
            await Assertions.Expect(page.ByTestId("broadcast-skipped")).ToContainTextAsync("2 dilewati");
            await Assertions.Expect(page.ByTestId("broadcast-progress")).ToHaveAttributeAsync("data-percent", "0");
            await LayoutProbe.AssertFitsAsync(page, "scheduled broadcast");

            // Cancelled: the three queued ones are cancelled, not skipped, and the page names who cancelled.
            await page.ByTestId("broadcast-cancel").ClickAsync();
            await page.ByTestId("confirm-yes").ClickAsync();
            await Assertions.Expect(page.ByTestId("broadcast-status")).ToHaveAttributeAsync("data-status", "Cancelled");
            await Assertions.Expect(page.ByTestId("broadcast-reason")).ToHaveTextAsync("Dibatalkan oleh Pemilik Uji.");
            await Assertions.Expect(page.ByTestId("count-Cancelled")).ToContainTextAsync("Dibatalkan (tidak dikirim)");
            await Assertions.Expect(page.ByTestId("count-Cancelled").Locator("h6")).ToHaveTextAsync("3");
            await Assertions.Expect(page.ByTestId("count-Skipped").Locator("h6")).ToHaveTextAsync("2");
            await Assertions.Expect(page.ByTestId("broadcast-final")).ToHaveTextAsync("0 terkirim · 0 gagal · 3 dibatalkan (tidak dikirim) · 2 dilewati dari 5 penerima");
            await LayoutProbe.AssertFitsAsync(page, "cancelled broadcast");

            // In the list: the cancelled ones named as such (QA: "0 / 3" read as three still waiting), and no send time
            // for one that never started.
            await page.GotoAsync("/broadcasts");
            await page.WaitForCircuitAsync();
            var row = page.Locator("tr", new() { HasText = scheduled.Name });
            await Assertions.Expect(row.Locator("[data-testid=broadcast-row-progress]")).ToHaveTextAsync(
                "0 / 3 · Terkirim 0 · Gagal 0 · Dilewati 2 · Dibatalkan (tidak dikirim) 3");
            await Assertions.Expect(row.Locator("[data-testid=broadcast-send-at]")).ToHaveTextAsync("—");
            Assert.Empty(session.ConsoleErrors);
        });
    }

    private static string Iso(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(Zone)).ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// In the tenant's own workspace (not connected, so nothing is sent): one scheduled for tomorrow, of five numbers two
    /// of which were skipped; one started yesterday and paused by the owner, written after it (the list once sorted by that).
    /// </summary>
    private async Task<(Broadcast Scheduled, Broadcast Paused)> AddBroadcastsAsync(AccessSeed.TenantAccount owner)
    {
        await using var db = AccessSeed.System(app);
        await db.Tenants.Where(t => t.Id == owner.TenantId).ExecuteUpdateAsync(s => s.SetProperty(t => t.TimeZone, Zone));
        var workspace = Seed.In(db, owner.TenantId).Workspace("Toko Hitung");
        var now = DateTimeOffset.UtcNow;
        var paused = new Broadcast
        {
            TenantId = owner.TenantId, WorkspaceId = workspace.Id, Name = "Jeda-" + Guid.NewGuid().ToString("N")[..6], MessageTemplate = "Halo",
            Status = BroadcastStatus.Paused, PauseCause = BroadcastPauseCause.Person, PausedByUserId = owner.UserId,
            StatusReason = BroadcastService.PausedByManagerReason, ScheduledAt = now.AddDays(-1), StartedAt = now.AddDays(-1),
            TotalRecipients = 4, PendingCount = 3, SentCount = 1, MinDelaySeconds = 30, MaxDelaySeconds = 60, BatchSize = 50, DailyCap = 500,
        };
        var scheduled = new Broadcast
        {
            TenantId = owner.TenantId, WorkspaceId = workspace.Id, Name = "Besok-" + Guid.NewGuid().ToString("N")[..6], MessageTemplate = "Halo",
            Status = BroadcastStatus.Scheduled, ScheduledAt = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1).AddHours(2), TimeSpan.Zero),
            TotalRecipients = 5, PendingCount = 3, SkippedCount = 2, MinDelaySeconds = 30, MaxDelaySeconds = 60, BatchSize = 50, DailyCap = 500,
        };
        db.Broadcasts.Add(scheduled);
        for (var i = 0; i < 5; i++)
            db.BroadcastRecipients.Add(new BroadcastRecipient
            {
                TenantId = owner.TenantId, WorkspaceId = workspace.Id, BroadcastId = scheduled.Id, Phone = i < 2 ? $"abc{i}" : $"+6281355500{i:00}",
                RenderedText = "Halo", IdempotencyKey = $"b:{scheduled.Id}:{i}", Sequence = i,
                Status = i < 2 ? RecipientStatus.Skipped : RecipientStatus.Pending, SkipReason = i < 2 ? BroadcastAudience.ReasonOptedOut : null,
            });
        await db.SaveChangesAsync();
        db.Broadcasts.Add(paused);
        await db.SaveChangesAsync();
        return (scheduled, paused);
    }
}
