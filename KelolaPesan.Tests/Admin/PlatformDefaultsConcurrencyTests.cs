using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Admin;

/// <summary>Several nodes starting together on a fresh database: the platform defaults are made once, and no start fails.</summary>
public sealed class PlatformDefaultsConcurrencyTests
{
    [Theory, Providers]
    public async Task FourNodesEnsuringTogether_NoneFails_AndEachDefaultExistsOnce(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using (var db = database.CreateSystem())
        {
            await db.Policies.ExecuteDeleteAsync();
            await db.PlatformSettings.ExecuteDeleteAsync();
            await db.NotificationTemplates.ExecuteDeleteAsync();
        }

        // Four "nodes", each with its own factory, released at the same moment.
        using var start = new Barrier(4);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var defaults = new PlatformDefaults(database.CreateFactory(SystemTenant.Instance));
            start.SignalAndWait();
            await defaults.EnsureAsync();
        })));

        await using var check = database.CreateSystem();
        Assert.Equal(1, await check.Policies.CountAsync(p => p.Tier == null));
        Assert.Equal(1, await check.PlatformSettings.CountAsync());
        var events = await check.NotificationTemplates.Select(t => t.Event).ToListAsync();
        Assert.Contains(NotificationEvent.BroadcastFinished, events);
        Assert.Equal(events.Count, events.Distinct().Count());
    }
}
