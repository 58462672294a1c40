using KelolaPesan.Core.ExternalApi;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.ExternalApi;

/// <summary>
/// The outgoing webhook worker's round: the subscriptions of every tenant in it are read in one query, where each event
/// used to read its tenant's (a query per message and ack at 500 paced workspaces, most of them subscribing to nothing).
/// </summary>
public sealed class WebhookEventTranslatorTests
{
    [Theory, Providers]
    public async Task ARoundOfManyTenants_ReadsTheirSubscriptionsOnce_AndQueuesWhatEachSubscribed(DatabaseProvider provider)
    {
        var reads = new ReadCounter();
        await using var host = await CoreServiceHost.CreateAsync(provider: provider, configure: (services, database) => reads.Install(services, database));
        var quiet = new List<Guid>();
        for (var i = 0; i < 4; i++)
            quiet.Add((await host.Database.SeedAsync(db => Seed.Tenant(db, "Quiet " + i))).Id);
        var inactive = (await host.Database.SeedAsync(db => Seed.Tenant(db, "Paused"))).Id;
        await host.Database.SeedAsync(db =>
        {
            db.WebhookSubscriptions.Add(new WebhookSubscription
            {
                TenantId = host.TenantId, Url = "https://receiver.example/a", Events = WebhookEvents.SessionStatus + ", " + WebhookEvents.MessageStatus,
            });
            db.WebhookSubscriptions.Add(new WebhookSubscription { TenantId = inactive, Url = "https://receiver.example/b", Events = WebhookEvents.SessionStatus, IsActive = false });
            return 0;
        });
        var round = quiet.Append(inactive).Append(host.TenantId).Append(quiet[0])
            .Select(t => (RealtimeEvent)new WorkspaceStatusChanged(t, Guid.NewGuid(), ConnectionStatus.Connected)).ToList();

        var queued = await host.InScopeAsync(async sp =>
        {
            var translator = sp.GetRequiredService<WebhookEventTranslator>();
            reads.Clear();
            await translator.LoadSubscriptionsAsync(round);
            var count = 0;
            foreach (var evt in round)
                count += await translator.HandleAsync(evt);
            return count;
        });

        // One for the round's six tenants, one as the subscribed tenant's event is queued for its subscriptions.
        Assert.Equal(2, reads.Reads.Count(r => r.Sql.Contains("WebhookSubscriptions", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(1, queued);
        await using var db = host.Database.CreateSystem();
        var deliveries = await db.WebhookDeliveries.AsNoTracking().ToListAsync();
        var delivery = Assert.Single(deliveries);
        Assert.Equal((host.TenantId, WebhookEvents.SessionStatus), (delivery.TenantId, delivery.Event));
    }
}
