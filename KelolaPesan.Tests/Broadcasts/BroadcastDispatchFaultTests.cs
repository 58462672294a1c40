using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Tests.Gateways;
using Microsoft.Data.Sqlite;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>Faults between the gateway call and the write of its result, against the fake WAHA on loopback and a real SQLite file.</summary>
public class BroadcastDispatchFaultTests
{
    private static PolicySettings Fast() => new()
    {
        MinDelaySeconds = 0, MaxDelaySeconds = 0, BatchSize = 1000, BatchRestSeconds = 0, DailyCapPerWorkspace = 100_000,
        SendWindowStart = new TimeOnly(0, 0), SendWindowEnd = new TimeOnly(0, 0),
    };

    [Fact]
    public async Task DatabaseFaultAfterTheGatewayCall_TheRecipientIsReconciledInTheSameProcess_NeitherSpunOnNorSentTwice()
    {
        await using var waha = await FakeWahaServer.StartAsync();
        waha.AddSession(BroadcastHost.Session);
        await using var host = await BroadcastHost.CreateAsync(Fast(), waha.BaseAddress);
        var fault = new RecipientResultFault(host.Database);
        var created = await host.CreateAsync(host.Request("081240000011\n081240000012\n081240000013"));
        var id = created.BroadcastId!.Value;

        // The first send reaches WAHA; writing its Sent row then fails, so the run ends with the row left Sending.
        await fault.ArmAsync();
        var failed = await Assert.ThrowsAsync<SqliteException>(() => host.RunOnceAsync(TimeSpan.FromSeconds(3)));
        Assert.Contains(RecipientResultFault.Message, failed.Message);
        await fault.DisarmAsync();
        Assert.Single(waha.RequestsTo("POST", "/api/sendText"));
        Assert.Equal(RecipientStatus.Sending, (await host.RecipientsAsync(id))[0].Status);

        // The same process runs the queue again (as the job's retry does): the row is found in the chat history, the rest go out.
        var run = await host.RunOnceAsync(TimeSpan.FromSeconds(3));

        Assert.Null(run.NextRunAt);
        var rows = await host.RecipientsAsync(id);
        Assert.All(rows, r => Assert.Equal(RecipientStatus.Sent, r.Status));
        Assert.All(rows, r => Assert.NotNull(r.ExternalMessageId));
        var perChat = waha.RequestsTo("POST", "/api/sendText").GroupBy(r => r.Json!["chatId"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, perChat.Count);
        Assert.All(perChat, p => Assert.Equal(1, p.Value));
        var b = await host.BroadcastAsync(id);
        Assert.Equal((BroadcastStatus.Completed, 3, 0, 0), (b.Status, b.SentCount, b.PendingCount, b.UncertainCount));
    }
}
