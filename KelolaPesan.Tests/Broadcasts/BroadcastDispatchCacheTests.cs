using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>
/// The cheaper paced run (docs/adr/0025): candidates kept between runs are only a hint (the conditional claim decides),
/// and a run fired a moment early waits for the planned time instead of sending early or returning.
/// </summary>
public class BroadcastDispatchCacheTests
{
    private static PolicySettings Paced() => new()
    {
        MinDelaySeconds = 5, MaxDelaySeconds = 5, BatchSize = 1000, BatchRestSeconds = 0, DailyCapPerWorkspace = 100_000,
        SendWindowStart = new TimeOnly(0, 0), SendWindowEnd = new TimeOnly(0, 0),
    };

    // Numbers ending in 0 are not on WhatsApp at the simulator: left out.
    private const string FourNumbers = "081230000001\n081230000002\n081230000003\n081230000004";

    private static CreateBroadcastRequest Request(BroadcastHost host)
    {
        var request = host.Request(FourNumbers);
        (request.MinDelaySeconds, request.MaxDelaySeconds) = (5, 5);
        return request;
    }

    [Theory, Providers]
    public async Task ACandidateKeptFromTheLastRun_SkippedMeanwhileElsewhere_IsNeverSent(DatabaseProvider provider)
    {
        await using var host = await BroadcastHost.CreateAsync(Paced(), provider: provider);
        var id = (await host.CreateAsync(Request(host))).BroadcastId!.Value;

        // The first run sends one and keeps the next three candidates for the workspace's next run.
        var first = await host.RunOnceAsync();
        Assert.Equal(1, first.Sent);
        var second = (await host.RecipientsAsync(id))[1];
        Assert.Equal(RecipientStatus.Pending, second.Status);

        // Another node (or a manager's action) settles the next candidate before this node's next run.
        await using (var db = host.Database.CreateForTenant(host.TenantId))
        {
            await db.BroadcastRecipients.Where(r => r.Id == second.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RecipientStatus.Skipped));
            await db.Broadcasts.Where(b => b.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(b => b.PendingCount, b => b.PendingCount - 1).SetProperty(b => b.SkippedCount, b => b.SkippedCount + 1));
        }
        host.Clock.SetUtcNow(first.NextRunAt!.Value);
        await host.RunToEndAsync();

        var rows = await host.RecipientsAsync(id);
        Assert.Equal([RecipientStatus.Sent, RecipientStatus.Skipped, RecipientStatus.Sent, RecipientStatus.Sent], rows.Select(r => r.Status));
        Assert.Equal(0, await host.SimulatorSendsToAsync(second.Phone));
        Assert.All(rows.Where(r => r.Status == RecipientStatus.Sent), r => Assert.NotNull(r.ExternalMessageId));
        var b = await host.BroadcastAsync(id);
        Assert.Equal((BroadcastStatus.Completed, 3, 1, 0), (b.Status, b.SentCount, b.SkippedCount, b.PendingCount));
    }

    [Theory, Providers]
    public async Task ARunFiredEarly_WithAHold_WaitsForThePlannedTime_AndSendsInTheSameRun(DatabaseProvider provider)
    {
        await using var host = await BroadcastHost.CreateAsync(Paced(), provider: provider);
        var id = (await host.CreateAsync(Request(host))).BroadcastId!.Value;
        var first = await host.RunOnceAsync();
        var planned = first.NextRunAt!.Value;

        // Fired 200 ms before the planned send (as a fire-ahead batch does), with a hold of 350 ms.
        host.Clock.SetUtcNow(planned - TimeSpan.FromMilliseconds(200));
        await using var scope = host.Services.CreateAsyncScope();
        var run = scope.ServiceProvider.GetRequiredService<BroadcastDispatcher>()
            .RunAsync(host.TenantId, host.WorkspaceId, hold: TimeSpan.FromMilliseconds(350));
        // The fake clock moves in small steps until the run ends (its own marker); it never jumps past the plan.
        for (var i = 0; i < 200 && !run.IsCompleted; i++)
        {
            await Task.Delay(25);
            host.Clock.Advance(TimeSpan.FromMilliseconds(50));
        }
        var held = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, held.Sent);
        var rows = await host.RecipientsAsync(id);
        Assert.Equal(RecipientStatus.Sent, rows[1].Status);
        Assert.True(rows[1].SentAt >= planned, $"sent at {rows[1].SentAt:O}, planned {planned:O}");
        Assert.Equal(rows[1].SentAt!.Value + TimeSpan.FromSeconds(5), held.NextRunAt);
    }
}
