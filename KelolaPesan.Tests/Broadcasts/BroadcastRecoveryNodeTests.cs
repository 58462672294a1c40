using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Data;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>
/// Crash recovery keyed on what is stored, not on what a process remembers: node A dies mid-send (its run frozen after
/// the gateway took the message), node B (its own service provider over the same database and fake WAHA) picks the
/// workspace up, reconciles the row A left Sending, and finishes the broadcast; no number gets two messages.
/// </summary>
public class BroadcastRecoveryNodeTests
{
    private static PolicySettings Fast() => new()
    {
        MinDelaySeconds = 0, MaxDelaySeconds = 0, BatchSize = 1000, BatchRestSeconds = 0, DailyCapPerWorkspace = 100_000,
        SendWindowStart = new TimeOnly(0, 0), SendWindowEnd = new TimeOnly(0, 0),
    };

    [Theory, Providers]
    public async Task NodeADiesMidSend_NodeBRecoversTheRowAndFinishes_NoNumberTwice(DatabaseProvider provider)
    {
        await using var waha = await FakeWahaServer.StartAsync();
        waha.AddSession(BroadcastHost.Session);
        FreezingGateway? frozen = null;
        await using var host = await BroadcastHost.CreateAsync(Fast(), waha.BaseAddress, provider: provider,
            wrap: inner => frozen = new FreezingGateway(inner, freezeOnSend: 3));
        var created = await host.CreateAsync(host.Request("081240000021\n081240000022\n081240000023\n081240000024\n081240000025\n081240000026"));
        var id = created.BroadcastId!.Value;

        // Node A: two sends complete, the third reaches WAHA and then the node stops dead (never writes the result).
        var nodeA = host.RunOnceAsync();
        await frozen!.Frozen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var third = (await host.RecipientsAsync(id))[2];
        Assert.Equal(RecipientStatus.Sending, third.Status);

        // Node C is reconciling this workspace right now (its lease runs): node B sends the rest but leaves the row alone.
        await using (var db = host.Database.CreateForTenant(host.TenantId))
            await db.SendBudgets.ExecuteUpdateAsync(s => s.SetProperty(b => b.RecoveryLeaseUntil, host.Clock.GetUtcNow().AddMinutes(1)));
        var nodeB = host.AddNode();
        var run = await host.RunOnceAsync(nodeB);
        Assert.Equal(3, run.Sent);
        Assert.Equal(host.Clock.GetUtcNow() + BroadcastDispatcher.LeftSendingRetry, run.NextRunAt);
        Assert.Equal(RecipientStatus.Sending, (await host.RecipientsAsync(id))[2].Status);

        // Node C died too: when its lease has run out, node B's next run reconciles the row from WAHA's chat history.
        await host.RunToEndAsync(node: nodeB);

        var rows = await host.RecipientsAsync(id);
        Assert.All(rows, r => Assert.Equal(RecipientStatus.Sent, r.Status));
        Assert.All(rows, r => Assert.NotNull(r.ExternalMessageId));
        var perChat = waha.RequestsTo("POST", "/api/sendText").GroupBy(r => r.Json!["chatId"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(6, perChat.Count);
        Assert.All(perChat, p => Assert.Equal(1, p.Value));
        var b = await host.BroadcastAsync(id);
        Assert.Equal((BroadcastStatus.Completed, 6, 0, 0), (b.Status, b.SentCount, b.PendingCount, b.UncertainCount));
        await using (var db = host.Database.CreateForTenant(host.TenantId))
            Assert.All(await db.SendBudgets.AsNoTracking().ToListAsync(), budget => Assert.Equal((false, null), (budget.NeedsRecovery, budget.RecoveryLeaseUntil)));

        // Node A wakes up (a long pause, not a death): its late result finds the row reconciled and counts nothing twice.
        frozen.Release();
        await nodeA;
        b = await host.BroadcastAsync(id);
        Assert.Equal((6, 0), (b.SentCount, b.PendingCount));
        Assert.Equal(6, waha.RequestsTo("POST", "/api/sendText").Count);
    }

    /// <summary>A real gateway whose Nth text send goes out and then never returns until released: a node frozen or killed mid-send.</summary>
    private sealed class FreezingGateway(IWhatsAppGateway inner, int freezeOnSend) : IWhatsAppGateway
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _sends;

        public TaskCompletionSource Frozen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _release.TrySetResult();

        public async Task<string> SendTextAsync(GatewayTextMessage message, CancellationToken ct)
        {
            var id = await inner.SendTextAsync(message, ct);
            if (Interlocked.Increment(ref _sends) == freezeOnSend)
            {
                Frozen.TrySetResult();
                await _release.Task;
            }
            return id;
        }

        public Task EnsureSessionAsync(GatewaySessionSetup setup, CancellationToken ct) => inner.EnsureSessionAsync(setup, ct);
        public Task<GatewaySessionInfo> GetSessionAsync(string session, CancellationToken ct) => inner.GetSessionAsync(session, ct);
        public Task StartSessionAsync(string session, CancellationToken ct) => inner.StartSessionAsync(session, ct);
        public Task StopSessionAsync(string session, CancellationToken ct) => inner.StopSessionAsync(session, ct);
        public Task RestartSessionAsync(string session, CancellationToken ct) => inner.RestartSessionAsync(session, ct);
        public Task LogoutSessionAsync(string session, CancellationToken ct) => inner.LogoutSessionAsync(session, ct);
        public Task DeleteSessionAsync(string session, CancellationToken ct) => inner.DeleteSessionAsync(session, ct);
        public Task<GatewayQrCode?> GetQrCodeAsync(string session, CancellationToken ct) => inner.GetQrCodeAsync(session, ct);
        public Task<string> SendMediaAsync(GatewayMediaMessage message, CancellationToken ct) => inner.SendMediaAsync(message, ct);
        public Task MarkChatReadAsync(string session, string chatId, CancellationToken ct) => inner.MarkChatReadAsync(session, chatId, ct);
        public Task<GatewayNumberCheck> CheckNumberAsync(string session, string phone, CancellationToken ct) => inner.CheckNumberAsync(session, phone, ct);
        public Task<IReadOnlyList<GatewayChatMessage>> GetChatMessagesAsync(string session, string chatId, int limit, bool? fromMe, CancellationToken ct) =>
            inner.GetChatMessagesAsync(session, chatId, limit, fromMe, ct);
        public Task<string?> GetPhoneForLidAsync(string session, string lid, CancellationToken ct) => inner.GetPhoneForLidAsync(session, lid, ct);
        public Task<GatewayDownloadedMedia> DownloadMediaAsync(string url, long maxBytes, CancellationToken ct) => inner.DownloadMediaAsync(url, maxBytes, ct);
    }
}
