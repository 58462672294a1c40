using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Data;
using static KelolaPesan.Tests.Broadcasts.BroadcastDispatchTests;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>How a workspace's sends are spaced: the random delay, the batch rest, the daily cap and the window, counted from the gateway's answer.</summary>
public class BroadcastPacingTests
{
    [Theory, Providers]
    public async Task Pacing_DelaysStayInTheRange_AndEveryBatchIsFollowedByTheRest(DatabaseProvider provider)
    {
        var policy = Fast();
        (policy.MinDelaySeconds, policy.MaxDelaySeconds, policy.BatchSize, policy.BatchRestSeconds) = (5, 10, 3, 120);
        await using var host = await BroadcastHost.CreateAsync(policy, provider: provider);
        var request = host.Request(Numbers(8));
        (request.MinDelaySeconds, request.MaxDelaySeconds, request.BatchSize, request.BatchRestSeconds) = (5, 10, 3, 120);
        var created = await host.CreateAsync(request);

        await host.RunToEndAsync();
        var sent = (await host.RecipientsAsync(created.BroadcastId!.Value)).Select(r => r.SentAt!.Value).ToList();
        Assert.Equal(8, sent.Count);
        var gaps = sent.Zip(sent.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        for (var i = 0; i < gaps.Count; i++)
        {
            if ((i + 1) % 3 == 0)
                Assert.Equal(120, gaps[i]);
            else
                Assert.InRange(gaps[i], 5, 10);
        }
    }

    [Theory, Providers]
    public async Task Pacing_CountsFromWhenTheGatewayGotTheMessage_NotFromTheClaim_AfterAStall(DatabaseProvider provider)
    {
        // A database or node stall between the claim and the gateway call (seen: 27 s) made the next send leave at once:
        // two messages reached the gateway 97 ms apart, under the minimum delay that keeps a number from being banned.
        var policy = Fast();
        (policy.MinDelaySeconds, policy.MaxDelaySeconds) = (5, 5);
        var received = new List<DateTimeOffset>();
        BroadcastHost host = null!;
        host = await BroadcastHost.CreateAsync(policy, provider: provider, wrap: inner => new LosingGateway(inner, _ => false, beforeSend: _ =>
        {
            if (received.Count == 0)
                host.Clock.Advance(TimeSpan.FromSeconds(27));
            received.Add(host.Clock.GetUtcNow());
            return Task.CompletedTask;
        }));
        await using var _ = host;
        var request = host.Request(Numbers(3));
        (request.MinDelaySeconds, request.MaxDelaySeconds) = (5, 5);
        var created = await host.CreateAsync(request);

        await host.RunToEndAsync();

        Assert.Equal(3, received.Count);
        Assert.All(received.Zip(received.Skip(1), (a, b) => (b - a).TotalSeconds), gap => Assert.True(gap >= 5, $"{gap} s between two sends"));
        Assert.Equal(received, (await host.RecipientsAsync(created.BroadcastId!.Value)).Select(r => r.SentAt!.Value));
    }

    [Theory, Providers]
    public async Task ABroadcastWhoseLastSendFillsABatch_IsCompletedAtOnce_NotAfterTheRest(DatabaseProvider provider)
    {
        var policy = Fast();
        (policy.BatchSize, policy.BatchRestSeconds) = (2, 600);
        await using var host = await BroadcastHost.CreateAsync(policy, provider: provider);
        var request = host.Request(Numbers(2));
        (request.BatchSize, request.BatchRestSeconds) = (2, 600);
        var created = await host.CreateAsync(request);

        var run = await host.RunOnceAsync();

        Assert.Equal(BroadcastStatus.Completed, (await host.BroadcastAsync(created.BroadcastId!.Value)).Status);
        // The queue itself still rests before its next send.
        Assert.True(run.NextRunAt is null || run.NextRunAt >= host.Clock.GetUtcNow().AddSeconds(600), $"next run at {run.NextRunAt}");
    }

    [Theory, Providers]
    public async Task DailyCapAndWindow_HoldAcrossTwoBroadcastsOfOneWorkspace(DatabaseProvider provider)
    {
        var policy = Fast();
        (policy.DailyCapPerWorkspace, policy.SendWindowStart, policy.SendWindowEnd) = (4, new TimeOnly(8, 0), new TimeOnly(20, 0));
        await using var host = await BroadcastHost.CreateAsync(policy, provider: provider);
        var first = await host.CreateAsync(host.Request(Numbers(3), "A"));
        var second = await host.CreateAsync(host.Request(Numbers(3, 100), "B"));

        await host.RunToEndAsync();
        var rows = (await host.RecipientsAsync(first.BroadcastId!.Value)).Concat(await host.RecipientsAsync(second.BroadcastId!.Value)).ToList();
        Assert.All(rows, r => Assert.Equal(RecipientStatus.Sent, r.Status));
        var jakarta = BroadcastClock.Zone("Asia/Jakarta");
        var byDay = rows.GroupBy(r => DateOnly.FromDateTime(BroadcastClock.ToLocal(r.SentAt!.Value, jakarta).DateTime)).ToList();
        Assert.Equal([4, 2], byDay.OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.All(rows, r => Assert.InRange(BroadcastClock.ToLocal(r.SentAt!.Value, jakarta).TimeOfDay, TimeSpan.FromHours(8), TimeSpan.FromHours(20)));
        // The first broadcast goes first, then the second continues on the next morning at 08:00.
        Assert.Equal(new TimeSpan(8, 0, 0), BroadcastClock.ToLocal(rows.Max(r => r.SentAt!.Value), jakarta).TimeOfDay);
    }
}
