using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>A suspended or expired licence stops the paced queue: nothing goes out until the licence is usable again.</summary>
public class BroadcastLicenceTests
{
    private const string Numbers = "081230000001\n081230000002";

    private static PolicySettings Paced() => new()
    {
        MinDelaySeconds = 5, MaxDelaySeconds = 5, BatchSize = 1000, BatchRestSeconds = 0, DailyCapPerWorkspace = 100_000,
        SendWindowStart = new TimeOnly(0, 0), SendWindowEnd = new TimeOnly(0, 0),
    };

    [Theory, Providers]
    public async Task ASuspendedLicence_SendsNothing_AndTheQueueGoesOnByItselfOnceReactivated(DatabaseProvider provider)
    {
        await using var host = await BroadcastHost.CreateAsync(BroadcastDispatchTests.Fast(), provider: provider);
        var id = (await host.CreateAsync(host.Request(Numbers))).BroadcastId!.Value;
        await SetLicenceAsync(host, LicenceStatus.Suspended);

        var run = await host.RunOnceAsync();

        Assert.Equal((0, host.Clock.GetUtcNow() + BroadcastDispatcher.LicenceRecheck), (run.Sent, run.NextRunAt));
        Assert.Equal(0, await host.SimulatorSendsToAsync("+6281230000001"));
        Assert.All(await host.RecipientsAsync(id), r => Assert.Equal(RecipientStatus.Pending, r.Status));
        Assert.Equal(BroadcastStatus.Running, (await host.BroadcastAsync(id)).Status);

        // Reactivated: the queue's own re-check (no person has to act) sends what waited.
        await SetLicenceAsync(host, LicenceStatus.Active);
        host.Clock.SetUtcNow(run.NextRunAt!.Value);
        await host.RunToEndAsync();
        Assert.Equal((BroadcastStatus.Completed, 2), ((await host.BroadcastAsync(id)).Status, (await host.BroadcastAsync(id)).SentCount));
    }

    [Theory, Providers]
    public async Task AnExpiredLicence_SendsNothing(DatabaseProvider provider)
    {
        await using var host = await BroadcastHost.CreateAsync(BroadcastDispatchTests.Fast(), provider: provider);
        var id = (await host.CreateAsync(host.Request(Numbers))).BroadcastId!.Value;
        await using (var db = host.Database.CreateSystem())
            await db.Licences.Where(l => db.Tenants.Any(t => t.Id == host.TenantId && t.LicenceId == l.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, host.Clock.GetUtcNow() - TimeSpan.FromMinutes(1)));

        var run = await host.RunOnceAsync();

        Assert.Equal(0, run.Sent);
        Assert.Equal(0, (await host.BroadcastAsync(id)).SentCount);
        Assert.Equal(0, await host.SimulatorSendsToAsync("+6281230000001"));
    }

    [Theory, Providers]
    public async Task ARunHoldingForItsNextSend_StopsWhenTheLicenceIsSuspendedMeanwhile(DatabaseProvider provider)
    {
        // Answers kept 100 ms (30 s in production), so the suspension is seen at the end of the hold.
        await using var host = await BroadcastHost.CreateAsync(Paced(), provider: provider,
            configure: (services, _) => services.Configure<AccessOptions>(o => o.RevalidateEvery = TimeSpan.FromMilliseconds(100)));
        var request = host.Request(Numbers);
        (request.MinDelaySeconds, request.MaxDelaySeconds) = (5, 5);
        var id = (await host.CreateAsync(request)).BroadcastId!.Value;
        var first = await host.RunOnceAsync();
        Assert.Equal(1, first.Sent);

        // A run fired 200 ms before the next send holds for it. The node last saw the licence usable a moment before it
        // was suspended: the run starts on that answer and meets the suspension when its hold ends.
        host.Clock.SetUtcNow(first.NextRunAt!.Value - TimeSpan.FromMilliseconds(200));
        await using var scope = host.Services.CreateAsyncScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<LicenceStanding>().IsUsableAsync(host.TenantId));
        await SetLicenceAsync(host, LicenceStatus.Suspended);
        var run = scope.ServiceProvider.GetRequiredService<BroadcastDispatcher>().RunAsync(host.TenantId, host.WorkspaceId, hold: TimeSpan.FromMilliseconds(350));
        for (var i = 0; i < 200 && !run.IsCompleted; i++)
        {
            await Task.Delay(25);
            host.Clock.Advance(TimeSpan.FromMilliseconds(50));
        }
        var held = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, held.Sent);
        Assert.Equal(RecipientStatus.Pending, (await host.RecipientsAsync(id))[1].Status);
        Assert.Equal(1, (await host.BroadcastAsync(id)).SentCount);
    }

    private static async Task SetLicenceAsync(BroadcastHost host, LicenceStatus status)
    {
        await using var db = host.Database.CreateSystem();
        await Seed.SetLicenceStatusAsync(db, host.TenantId, status);
    }
}
