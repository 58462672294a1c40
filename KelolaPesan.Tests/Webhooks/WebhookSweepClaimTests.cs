using KelolaPesan.Core.Webhooks;
using KelolaPesan.Data;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Webhooks;

/// <summary>The sweep of unprocessed raw events on two nodes (two service providers over one database): each event applied once.</summary>
public sealed class WebhookSweepClaimTests
{
    private const string Me = "6280000000001@c.us";

    [Theory, Providers]
    public async Task TwoSweepers_ApplyEachPendingEventOnce(DatabaseProvider provider)
    {
        await using var host = await CoreServiceHost.CreateAsync(provider: provider);
        var workspace = await host.AddWorkspaceAsync();
        const int count = 120;
        for (var i = 0; i < count; i++)
        {
            var body = FakeWahaServer.Envelope("message", workspace.ExternalSessionId!,
                FakeWahaServer.MessagePayload($"sweep-{i}", $"62812345{i % 7:00}0{i:000}@c.us", Me, $"halo {i}"));
            Assert.NotNull((await host.InScopeAsync(sp => sp.GetRequiredService<WhatsAppWebhookIngest>().StoreAsync(host.TenantId, workspace.Id, body))).EventId);
        }

        // Both nodes start together and sweep (as each does at start-up and every 30 s): each lists every pending event.
        var nodes = new[] { host.Services, host.AddNode() };
        var listed = await Task.WhenAll(nodes.Select(node => Task.Run(async () =>
        {
            await using var scope = node.CreateAsyncScope();
            var processor = scope.ServiceProvider.GetRequiredService<WhatsAppEventProcessor>();
            var pending = await processor.PendingAsync(TimeSpan.Zero, 10_000);
            foreach (var chunk in pending.Chunk(20))
                await processor.ProcessBatchAsync(chunk);
            return pending.Count;
        })));
        Assert.True(listed.Sum() >= count, $"the sweepers listed {listed.Sum()} events");

        await using var db = host.Database.CreateSystem();
        var events = await db.InboundWebhookEvents.AsNoTracking().Where(e => e.WorkspaceId == workspace.Id).ToListAsync();
        Assert.Equal(count, events.Count);
        // Attempts counts every application of an event: 1 everywhere means no event was applied by both nodes.
        Assert.All(events, e => Assert.Equal((1, true, null), (e.Attempts, e.ProcessedAt is not null, e.Error)));
        Assert.Equal(count, await db.Messages.CountAsync(m => m.WorkspaceId == workspace.Id));
        Assert.Equal(count, (await db.Workspaces.SingleAsync(w => w.Id == workspace.Id)).UnreadMessages);
        await using (var scope = nodes[1].CreateAsyncScope())
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<WhatsAppEventProcessor>().PendingAsync(TimeSpan.Zero, 100));
    }

    /// <summary>
    /// A batch's claim and read seek its own events by id: SQLite, without statistics, planned them on the
    /// (ProcessedAt, ReceivedAt) index and walked every unprocessed event, so a backlog slowed every batch.
    /// </summary>
    [Fact]
    public async Task ABatchsClaimAndRead_SeekItsEventsById_NotTheWholeBacklog()
    {
        var plans = new QueryPlans();
        await using var host = await CoreServiceHost.CreateAsync(configure: (services, database) => plans.Install(services, database));
        var workspace = await host.AddWorkspaceAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 30; i++)
        {
            var body = FakeWahaServer.Envelope("message", workspace.ExternalSessionId!,
                FakeWahaServer.MessagePayload($"backlog-{i}", $"6281234567{i:00}@c.us", Me, $"halo {i}"));
            ids.Add((await host.InScopeAsync(sp => sp.GetRequiredService<WhatsAppWebhookIngest>().StoreAsync(host.TenantId, workspace.Id, body))).EventId!.Value);
        }

        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<WhatsAppEventProcessor>().ProcessBatchAsync(ids[..5]);

        var claim = Assert.Single(plans.Of("UPDATE \"InboundWebhookEvents\"", "\"ClaimToken\" = @"));
        var read = Assert.Single(plans.Of("FROM \"InboundWebhookEvents\"", "\"ClaimToken\" = @"));
        Assert.All(new[] { claim, read }, plan =>
        {
            Assert.Contains("sqlite_autoindex_InboundWebhookEvents_1 (Id=?)", plan);
            Assert.DoesNotContain("ProcessedAt", plan);
        });
        await using var db = host.Database.CreateSystem();
        Assert.Equal(5, await db.InboundWebhookEvents.CountAsync(e => e.ProcessedAt != null));
        Assert.Equal(5, await db.Messages.CountAsync(m => m.WorkspaceId == workspace.Id));
    }

    [Theory, Providers]
    public async Task AnEventHeldByAnotherNode_IsNotSwept_UntilItsLeaseRunsOut(DatabaseProvider provider)
    {
        await using var host = await CoreServiceHost.CreateAsync(provider: provider);
        var workspace = await host.AddWorkspaceAsync();
        var body = FakeWahaServer.Envelope("message", workspace.ExternalSessionId!, FakeWahaServer.MessagePayload("held-1", "6281234567891@c.us", Me, "halo"));
        var id = (await host.InScopeAsync(sp => sp.GetRequiredService<WhatsAppWebhookIngest>().StoreAsync(host.TenantId, workspace.Id, body))).EventId!.Value;
        await using (var db = host.Database.CreateSystem())
            await db.InboundWebhookEvents.Where(e => e.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(e => e.ClaimedUntil, DateTimeOffset.UtcNow.AddMinutes(1)).SetProperty(e => e.ClaimToken, Guid.NewGuid()));

        var nodeB = host.AddNode();
        await using (var scope = nodeB.CreateAsyncScope())
        {
            var processor = scope.ServiceProvider.GetRequiredService<WhatsAppEventProcessor>();
            Assert.Empty(await processor.PendingAsync(TimeSpan.Zero, 100));
            // Even handed the id directly (its own queue), node B does not apply an event another node holds.
            await processor.ProcessAsync(id);
        }
        await using (var db = host.Database.CreateSystem())
        {
            var untouched = await db.InboundWebhookEvents.AsNoTracking().SingleAsync(e => e.Id == id);
            Assert.Equal((0, false), (untouched.Attempts, untouched.ProcessedAt is not null));
        }

        // The holder died: once its lease has run out, the sweep takes the event and applies it.
        await using (var db = host.Database.CreateSystem())
            await db.InboundWebhookEvents.Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.ClaimedUntil, DateTimeOffset.UtcNow.AddSeconds(-1)));
        await using (var scope = nodeB.CreateAsyncScope())
        {
            var processor = scope.ServiceProvider.GetRequiredService<WhatsAppEventProcessor>();
            Assert.Equal([id], await processor.PendingAsync(TimeSpan.Zero, 100));
            await processor.ProcessBatchAsync([id]);
        }
        await using (var db = host.Database.CreateSystem())
        {
            var row = await db.InboundWebhookEvents.AsNoTracking().SingleAsync(e => e.Id == id);
            Assert.Equal((1, true), (row.Attempts, row.ProcessedAt is not null));
            Assert.Equal(1, await db.Messages.CountAsync(m => m.WorkspaceId == workspace.Id));
        }
    }
}
