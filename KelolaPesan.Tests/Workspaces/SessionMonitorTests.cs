using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Web.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KelolaPesan.Tests.Workspaces;

/// <summary>
/// The session monitor job over Core's real services, a migrated SQLite file and the fake WAHA server on loopback:
/// what the gateway reports is recorded on the workspace and a FAILED session is restarted within the connection policy.
/// The job is run directly, one pass per call, never on Quartz's schedule.
/// </summary>
public sealed class SessionMonitorTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 3, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private FakeWahaServer _waha = null!;
    private CoreServiceHost _host = null!;
    private Workspace _workspace = null!;
    private string Session => _workspace.ExternalSessionId!;

    public async Task InitializeAsync()
    {
        _waha = await FakeWahaServer.StartAsync();
        _host = await CoreServiceHost.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["Gateway:Kind"] = "Waha",
            ["Gateway:Waha:BaseUrl"] = _waha.BaseAddress.ToString(),
            ["Gateway:Waha:ApiKey"] = FakeWahaServer.DefaultApiKey,
        }, clock: _clock);
        _workspace = new Workspace
        {
            TenantId = _host.TenantId, Name = "Toko", ExternalSessionId = "kp-monitor-" + Guid.NewGuid().ToString("N"),
            ConnectionStatus = ConnectionStatus.Connected, ConnectedAt = Start, PhoneNumber = "+6280000000001",
        };
        await using var db = _host.Database.CreateSystem();
        db.Workspaces.Add(_workspace);
        await db.SaveChangesAsync();
        _waha.AddSession(Session, "WORKING");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _waha.DisposeAsync();
    }

    [Fact]
    public async Task AFailedSession_IsRecordedAsADrop_AndRestarted_ItsReturnAsAReconnect_AtMostThePolicysTimesADay()
    {
        await SetPolicyAsync(new PolicySettings { AutoRestartFailedSessions = true, MaxReconnectsPerDay = 2 });

        _waha.SetSessionStatus(Session, "FAILED");
        await RunMonitorAsync();
        var dropped = await WorkspaceAsync();
        Assert.Equal(ConnectionStatus.Failed, dropped.ConnectionStatus);
        Assert.Equal(1, await EventsAsync(WorkspaceEventKind.Dropped));
        Assert.Equal(1, Restarts());
        Assert.Equal(1, await EventsAsync(WorkspaceEventKind.AutoRestart));

        // The restart brought the session back (the fake answers WORKING now): the next pass records the reconnect.
        await RunMonitorAsync();
        Assert.Equal(ConnectionStatus.Connected, (await WorkspaceAsync()).ConnectionStatus);
        Assert.Equal(1, await EventsAsync(WorkspaceEventKind.Reconnected));

        _waha.SetSessionStatus(Session, "FAILED");
        await RunMonitorAsync();
        await RunMonitorAsync();
        Assert.Equal(2, Restarts());
        Assert.Equal(2, await EventsAsync(WorkspaceEventKind.Reconnected));

        // A third failure the same day: recorded, but the policy's two restarts are used up.
        _waha.SetSessionStatus(Session, "FAILED");
        await RunMonitorAsync();
        await RunMonitorAsync();
        Assert.Equal(2, Restarts());
        var exhausted = await WorkspaceAsync();
        Assert.Equal(ConnectionStatus.Failed, exhausted.ConnectionStatus);
        Assert.Equal(2, exhausted.RestartsToday);
        Assert.Equal(3, await EventsAsync(WorkspaceEventKind.Dropped));

        // The next day the count starts again.
        _clock.Advance(TimeSpan.FromDays(1));
        await RunMonitorAsync();
        Assert.Equal(3, Restarts());
        Assert.Equal(1, (await WorkspaceAsync()).RestartsToday);
    }

    [Fact]
    public async Task TheConnectionPolicyOfTheTenantsTier_IsApplied_NotTheDefault()
    {
        // The default would restart five times a day; the tenant's tier (Standard) allows one restart, and Premium none.
        await SetPolicyAsync(new PolicySettings { AutoRestartFailedSessions = true, MaxReconnectsPerDay = 5 });
        await SetPolicyAsync(new PolicySettings { Tier = PolicyTier.Standard, AutoRestartFailedSessions = true, MaxReconnectsPerDay = 1 });
        await SetPolicyAsync(new PolicySettings { Tier = PolicyTier.Premium, AutoRestartFailedSessions = false, MaxReconnectsPerDay = 5 });
        await SetTierAsync(PolicyTier.Standard);

        for (var i = 0; i < 3; i++)
        {
            _waha.SetSessionStatus(Session, "FAILED");
            await RunMonitorAsync();
            await RunMonitorAsync();
        }
        Assert.Equal(1, Restarts());
        Assert.Equal(ConnectionStatus.Failed, (await WorkspaceAsync()).ConnectionStatus);

        // On Premium the override turns auto-restart off altogether, even with restarts left for the day.
        await SetTierAsync(PolicyTier.Premium);
        _clock.Advance(TimeSpan.FromDays(1));
        await RunMonitorAsync();
        Assert.Equal(1, Restarts());
    }

    [Fact]
    public async Task ASessionTheGatewayDoesNotKnow_IsAskedAboutLessAndLess_ThenNoMore_AndTheWorkspaceIsMarked()
    {
        await SetPolicyAsync(new PolicySettings { MaxUnknownSessionChecks = 4 });
        var gone = new Workspace
        {
            TenantId = _host.TenantId, Name = "Hilang", ExternalSessionId = "kp-gone-" + Guid.NewGuid().ToString("N"),
            ConnectionStatus = ConnectionStatus.Connected, ConnectedAt = Start,
        };
        await using (var db = _host.Database.CreateSystem())
        {
            db.Workspaces.Add(gone);
            await db.SaveChangesAsync();
        }

        // Half an hour of the monitor's one-minute ticks: the known session is asked every time, the unknown one
        // after 1, 2 and 4 minutes, and after the policy's fourth answer in a row no more.
        for (var minute = 0; minute < 30; minute++)
        {
            await RunMonitorAsync();
            _clock.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.Equal(30, _waha.RequestsTo("GET", $"/api/sessions/{Session}").Count);
        Assert.Equal(4, _waha.RequestsTo("GET", $"/api/sessions/{gone.ExternalSessionId}").Count);
        WorkspaceEvent[] rows;
        Workspace marked;
        await using (var db = _host.Database.CreateSystem())
        {
            rows = await db.WorkspaceEvents.AsNoTracking().Where(e => e.WorkspaceId == gone.Id).ToArrayAsync();
            marked = await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == gone.Id);
        }
        Assert.Equal(4, rows.Count(e => e.Kind == WorkspaceEventKind.Error));
        Assert.Single(rows, e => e.Kind == WorkspaceEventKind.StatusChanged && e.Message.Contains("monitoring stopped", StringComparison.Ordinal));
        Assert.NotNull(marked.MonitorStoppedAt);
        Assert.Equal(ConnectionStatus.Stopped, marked.ConnectionStatus);

        // The gateway knows the session again (it reports its status): the mark goes and the monitor asks again.
        _waha.AddSession(gone.ExternalSessionId!, "WORKING");
        await _host.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<WorkspaceConnectionService>().ApplyStatusAsync(_host.TenantId, gone.Id, KelolaPesan.Core.Gateways.GatewaySessionStatus.Working, null);
            return true;
        });
        await RunMonitorAsync();
        Assert.Equal(5, _waha.RequestsTo("GET", $"/api/sessions/{gone.ExternalSessionId}").Count);
        await using (var db = _host.Database.CreateSystem())
        {
            var back = await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == gone.Id);
            Assert.Equal((null, 0, ConnectionStatus.Connected), (back.MonitorStoppedAt, back.UnknownSessionChecks, back.ConnectionStatus));
        }
    }

    private async Task RunMonitorAsync() =>
        await _host.InScopeAsync(async sp =>
        {
            // The job reads nothing from its Quartz context: it hands the pass to the connection service.
            await new SessionMonitorJob(sp.GetRequiredService<WorkspaceConnectionService>()).Execute(null!, CancellationToken.None);
            return true;
        });

    private int Restarts() => _waha.RequestsTo("POST", $"/api/sessions/{Session}/restart").Count;

    private async Task SetPolicyAsync(PolicySettings policy)
    {
        await using var db = _host.Database.CreateSystem();
        db.Policies.Add(policy);
        await db.SaveChangesAsync();
    }

    private async Task SetTierAsync(PolicyTier tier)
    {
        await using var db = _host.Database.CreateSystem();
        var licenceId = await db.Tenants.Where(t => t.Id == _host.TenantId).Select(t => t.LicenceId).SingleAsync();
        await db.Licences.Where(l => l.Id == licenceId).ExecuteUpdateAsync(s => s.SetProperty(l => l.Tier, tier));
    }

    private async Task<Workspace> WorkspaceAsync()
    {
        await using var db = _host.Database.CreateSystem();
        return await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == _workspace.Id);
    }

    private async Task<int> EventsAsync(WorkspaceEventKind kind)
    {
        await using var db = _host.Database.CreateSystem();
        return await db.WorkspaceEvents.CountAsync(e => e.WorkspaceId == _workspace.Id && e.Kind == kind);
    }
}
