using System.Globalization;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>
/// What the progress page, the list and the home card count, from stored broadcasts on both providers: skipped numbers
/// are never progress, a cancel's recipients are cancelled (not skipped) and the cancel names who did it, the list reads
/// by send time and a paused broadcast stays on the card.
/// </summary>
public class BroadcastTallyTests
{
    // Opted out, invalid, and two to send, scheduled for 14:00 (the host's clock is 09:00 in Jakarta).
    private static async Task<Guid> CreateScheduledAsync(BroadcastHost host)
    {
        await host.AddContactAsync("+6281230000001", "Ani", optedOut: true);
        var request = host.Request("081230000001\nabc\n081230000003\n081230000004");
        request.ScheduledLocal = new DateTime(2026, 11, 30, 14, 0, 0);
        var created = await host.CreateAsync(request);
        Assert.True(created.Succeeded, string.Join(", ", created.Errors));
        return created.BroadcastId!.Value;
    }

    private static BroadcastService Service(BroadcastHost host) => host.Services.CreateScope().ServiceProvider.GetRequiredService<BroadcastService>();

    [Theory, Providers]
    public async Task AScheduledBroadcast_HasProcessedNothing_TheSkippedCountedApart(DatabaseProvider provider)
    {
        await using var host = await BroadcastHost.CreateAsync(BroadcastDispatchTests.Fast(), provider: provider);
        var id = await CreateScheduledAsync(host);

        var outlook = (await Service(host).OutlookAsync(id))!;
        Assert.Equal(BroadcastPhase.Scheduled, outlook.Phase);
        Assert.Equal((0, 2, 2, 0.0),
            (outlook.Tally.Handled, outlook.Tally.ToSend, outlook.Tally.SkippedOther, outlook.Tally.Percent));

        // The list reads the same numbers.
        var row = Assert.Single(await Service(host).ListAsync(host.WorkspaceId));
        Assert.Equal((0, 2, 2, 0.0), (row.Tally.Handled, row.Tally.ToSend, row.Tally.SkippedOther, row.Tally.Percent));

        // Sent: all of those to send, the skipped still apart.
        await Service(host).StartAsync(id);
        await host.RunToEndAsync();
        outlook = (await Service(host).OutlookAsync(id))!;
        Assert.Equal((BroadcastPhase.Completed, 2, 2, 2, 100.0), (outlook.Phase, outlook.Tally.Sent, outlook.Tally.ToSend, outlook.Tally.SkippedOther, outlook.Tally.Percent));
    }

    [Theory, Providers]
    public async Task ACancel_CountsTheQueuedAsCancelledNotSkipped_AndNamesThePerson(DatabaseProvider provider)
    {
        await using var host = await BroadcastHost.CreateAsync(BroadcastDispatchTests.Fast(), provider: provider);
        var id = await CreateScheduledAsync(host);
        Guid userId;
        await using (var db = host.Database.CreateForTenant(host.TenantId))
        {
            userId = Seed.In(db, host.TenantId).User("sari", UserRole.Manager, u => u.DisplayName = "Sari Wulandari").Id;
            await db.SaveChangesAsync();
        }

        Assert.True(await Service(host).CancelAsync(id, userId));

        var counts = await Service(host).CountAsync(id);
        Assert.Equal((2, 2, 0),
            (counts.ByStatus.GetValueOrDefault(RecipientStatus.Skipped), counts.Cancelled, counts.ByStatus.GetValueOrDefault(RecipientStatus.Pending)));
        var tally = (await Service(host).OutlookAsync(id))!.Tally;
        Assert.Equal((0, 2, 2, 0.0), (tally.Handled, tally.Cancelled, tally.SkippedOther, tally.Percent));

        var reason = (await host.BroadcastAsync(id)).StatusReason;
        Assert.Equal($"{BroadcastService.CancelledByReason}|Sari Wulandari", reason);
        Assert.Equal(("Cancelled by Sari Wulandari.", "Dibatalkan oleh Sari Wulandari."), (InCulture("en", reason), InCulture("id", reason)));
    }

    [Theory, Providers]
    public async Task TheList_ReadsBySendTime_AndTheHomeCardKeepsAPausedBroadcast(DatabaseProvider provider)
    {
        await using var host = await BroadcastHost.CreateAsync(BroadcastDispatchTests.Fast(), provider: provider);
        // Written first, goes out later (14:00); written an hour later, paused at once: it started at 10:00.
        var scheduled = await CreateScheduledAsync(host);
        host.Clock.Advance(TimeSpan.FromHours(1));
        var paused = (await host.CreateAsync(host.Request("081230000005", name: "Jeda"))).BroadcastId!.Value;
        Assert.True(await Service(host).PauseAsync(paused));

        var rows = await Service(host).ListAsync(host.WorkspaceId);
        Assert.Equal([scheduled, paused], rows.Select(r => r.Id));
        Assert.Equal([BroadcastHost.Start.AddHours(5), BroadcastHost.Start.AddHours(1)], rows.Select(r => r.SendAt));

        var card = Assert.Single(await Service(host).ListRunningOutlooksAsync(host.WorkspaceId));
        Assert.Equal((paused, BroadcastStatus.Paused, BroadcastPhase.Paused), (card.Summary.Id, card.Summary.Status, card.Outlook.Phase));
    }

    private static string? InCulture(string culture, string? stored)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            return ProblemText.Display(stored);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
