using System.Text.Json;
using KelolaPesan.Core.ExternalApi;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.ExternalApi;

/// <summary>Outgoing webhook deliveries claimed once across nodes: two service providers (two "nodes") over one database.</summary>
public sealed class OutgoingWebhookClaimTests
{
    private static readonly Dictionary<string, string?> Settings = new() { ["Webhooks:Outgoing:AllowPrivateAddresses"] = "true" };

    [Theory, Providers]
    public async Task TwoWorkersOnOneDatabase_DeliverEachDeliveryExactlyOnce(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await CoreServiceHost.CreateAsync(settings: Settings, provider: provider);
        var saved = await host.InScopeAsync(sp => sp.GetRequiredService<WebhookSubscriptionService>().SaveAsync(receiver.Url, [WebhookEvents.MessageReceived]));
        Assert.True(saved.Succeeded, saved.Error);
        const int count = 40;
        for (var i = 0; i < count; i++)
            Assert.Equal(1, await host.InScopeAsync(sp => sp.GetRequiredService<OutgoingWebhookService>().EnqueueAsync(host.TenantId, WebhookEvents.MessageReceived, new { n = i })));

        var nodes = new[] { host.Services, host.AddNode() };
        // Each node runs two workers at once, all four sweeping the same due rows until none is left.
        var attempted = await Task.WhenAll(nodes.SelectMany(node => new[] { node, node }).Select(node => Task.Run(async () =>
        {
            var total = 0;
            while (true)
            {
                await using var scope = node.CreateAsyncScope();
                var n = await scope.ServiceProvider.GetRequiredService<OutgoingWebhookService>().DeliverDueAsync();
                total += n;
                if (n == 0)
                    return total;
            }
        })));

        Assert.Equal(count, attempted.Sum());
        var ids = receiver.Received.Select(hit => JsonDocument.Parse(hit.Body).RootElement.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(count, ids.Count);
        Assert.Equal(count, ids.Distinct().Count());
        await using var db = host.Database.CreateSystem();
        var rows = await db.WebhookDeliveries.AsNoTracking().Where(d => d.TenantId == host.TenantId).ToListAsync();
        Assert.All(rows, d => Assert.Equal((WebhookDeliveryStatus.Delivered, 1, (int?)200), (d.Status, d.Attempts, d.ResponseCode)));
    }

    [Theory, Providers]
    public async Task ALeaseHeldByALiveWorker_IsLeftAlone_AndAnExpiredOne_IsDeliveredByAnotherNode(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await CoreServiceHost.CreateAsync(settings: Settings, provider: provider);
        Assert.True((await host.InScopeAsync(sp => sp.GetRequiredService<WebhookSubscriptionService>().SaveAsync(receiver.Url, [WebhookEvents.SessionStatus]))).Succeeded);
        Assert.Equal(1, await host.InScopeAsync(sp => sp.GetRequiredService<OutgoingWebhookService>().EnqueueAsync(host.TenantId, WebhookEvents.SessionStatus, new { status = "Connected" })));
        var options = host.Services.GetRequiredService<OutgoingWebhookOptions>();

        // Node A claimed it (one attempt counted, the lease runs) and is still sending: node B must not.
        await using (var db = host.Database.CreateSystem())
            await db.WebhookDeliveries.ExecuteUpdateAsync(s => s.SetProperty(d => d.Attempts, 1).SetProperty(d => d.NextAttemptAt, DateTimeOffset.UtcNow + options.ClaimLease));
        var nodeB = host.AddNode();
        await using (var scope = nodeB.CreateAsyncScope())
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<OutgoingWebhookService>().DeliverDueAsync());

        // Node A died: its lease ends and node B delivers the row, counting a second attempt.
        await using (var db = host.Database.CreateSystem())
            await db.WebhookDeliveries.ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
        await using (var scope = nodeB.CreateAsyncScope())
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<OutgoingWebhookService>().DeliverDueAsync());

        Assert.Single(receiver.Received);
        await using var check = host.Database.CreateSystem();
        var delivery = await check.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.TenantId == host.TenantId);
        Assert.Equal((WebhookDeliveryStatus.Delivered, 2), (delivery.Status, delivery.Attempts));
        Assert.Null(delivery.NextAttemptAt);
    }
}
