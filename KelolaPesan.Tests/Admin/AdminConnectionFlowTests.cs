using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using KelolaPesan.Tests.Broadcasts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using KelolaPesan.Tests.Infrastructure;

namespace KelolaPesan.Tests.Admin;

/// <summary>
/// The admin connection at work, on the simulator gateway with the real engine: event notifications reach the tenant
/// owner once, and the admin broadcast reaches each chosen owner once.
/// </summary>
public sealed class AdminConnectionFlowTests : IAsyncLifetime
{
    private const string OwnerPhone = "+6281234567891";
    private const string AdminPhone = "628000000099";
    private BroadcastHost _host = null!;
    private AdminConnectionInfo _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await BroadcastHost.CreateAsync(new PolicySettings { MinDelaySeconds = 0, MaxDelaySeconds = 0, BatchSize = 1000, BatchRestSeconds = 0, DailyCapPerWorkspace = 100_000 });
        await new PlatformDefaults(_host.Database.CreateFactory(SystemTenant.Instance)).EnsureAsync();
        await using (var db = _host.Database.CreateSystem())
        {
            db.Users.Add(new AppUser { TenantId = _host.TenantId, Username = "ani", DisplayName = "Ani", Role = UserRole.Owner, Phone = OwnerPhone });
            await db.SaveChangesAsync();
        }
        _admin = await _host.InScopeAsync(sp => sp.GetRequiredService<AdminConnection>().EnsureAsync(AuditActor.System));
        await _host.Services.GetRequiredService<SimulatorGateway>().RestoreConnectedAsync(
            new GatewaySessionSetup(_admin.SessionName!, new Dictionary<string, string>(), "http://127.0.0.1:5999/webhooks/whatsapp", "k"), AdminPhone, "Admin");
        await using (var db = _host.Database.CreateSystem())
            await db.Workspaces.Where(w => w.Id == _admin.WorkspaceId).ExecuteUpdateAsync(s => s.SetProperty(w => w.ConnectionStatus, ConnectionStatus.Connected));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>What the admin workspace's session sent to a number (the simulator's chat history, fromMe).</summary>
    private async Task<IReadOnlyList<GatewayChatMessage>> AdminSentToAsync(string e164) =>
        await _host.Services.GetRequiredService<SimulatorGateway>().GetChatMessagesAsync(_admin.SessionName!, ChatIds.FromPhone(e164.TrimStart('+')), 500, true, CancellationToken.None);

    [Fact]
    public async Task ABroadcastCompletes_TheOwnerGetsOneMessageThroughTheAdminWorkspace_AndALaterRunSendsNone()
    {
        var created = await _host.CreateAsync(_host.Request("081311110001\n081311110002", name: "Promo Desember"));
        await _host.RunToEndAsync();

        Assert.Equal(BroadcastStatus.Completed, (await _host.BroadcastAsync(created.BroadcastId!.Value)).Status);
        var message = Assert.Single(await AdminSentToAsync(OwnerPhone));
        Assert.Contains("Promo Desember", message.Body);

        await _host.RunOnceAsync();
        await _host.RunOnceAsync();
        Assert.Single(await AdminSentToAsync(OwnerPhone));
        await using var db = _host.Database.CreateSystem();
        var log = await db.NotificationLogs.SingleAsync();
        Assert.Equal((NotificationEvent.BroadcastFinished, true), (log.Event, log.Succeeded));
    }

    [Fact]
    public async Task AWorkspaceDrop_IsNotifiedOnce_AndANewDropAfterAReconnectAgain()
    {
        async Task ApplyAsync(GatewaySessionStatus status) => await _host.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<WorkspaceConnectionService>().ApplyStatusAsync(_host.TenantId, _host.WorkspaceId, status, null);
            return 0;
        });

        await ApplyAsync(GatewaySessionStatus.ScanQr);
        await ApplyAsync(GatewaySessionStatus.ScanQr);
        await ApplyAsync(GatewaySessionStatus.Stopped);
        var first = Assert.Single(await AdminSentToAsync(OwnerPhone));
        Assert.Contains("Toko", first.Body);

        _host.Clock.Advance(TimeSpan.FromMinutes(10));
        await ApplyAsync(GatewaySessionStatus.Working);
        await ApplyAsync(GatewaySessionStatus.Failed);
        Assert.Equal(2, (await AdminSentToAsync(OwnerPhone)).Count);
        await using var db = _host.Database.CreateSystem();
        Assert.All(await db.NotificationLogs.ToListAsync(), l => Assert.Equal(NotificationEvent.WorkspaceDisconnected, l.Event));
    }

    [Fact]
    public async Task AnAdminBroadcast_ReachesEachOwnerWithANumberOnce_AndListsTheOthersAsSkipped()
    {
        var (second, noPhone) = (await AddTenantAsync("Toko Budi", "Budi", "0813 2222 0002"), await AddTenantAsync("Toko Citra", "Citra", null));

        var started = await _host.InScopeAsync(sp => sp.GetRequiredService<AdminBroadcastService>().StartAsync(
            new AdminBroadcastRequest { Name = "Info platform", Message = "{Halo|Hai} {name} dari {tenant}: pemeliharaan malam ini." }, AuditActor.System));

        Assert.True(started.Succeeded, string.Join(" ", started.Errors));
        var skipped = Assert.Single(started.Owners, o => o.SkipReason is not null);
        Assert.Equal((noPhone, AdminBroadcastService.ReasonNoPhone), (skipped.TenantId, skipped.SkipReason));
        Assert.Contains(started.Owners, o => o.TenantId == second && o.Phone == "+6281322220002");

        await RunAdminQueueAsync();
        var toAni = Assert.Single(await AdminSentToAsync(OwnerPhone));
        Assert.Matches("^(Halo|Hai) Ani dari Test: pemeliharaan malam ini.$", toAni.Body);
        Assert.Matches("^(Halo|Hai) Budi dari Toko Budi: ", Assert.Single(await AdminSentToAsync("+6281322220002")).Body);

        await using var db = _host.Database.CreateSystem();
        var broadcast = await db.Broadcasts.AsNoTracking().SingleAsync(b => b.Id == started.BroadcastId);
        Assert.Equal((_admin.WorkspaceId, BroadcastStatus.Completed, 2, 2), (broadcast.WorkspaceId, broadcast.Status, broadcast.TotalRecipients, broadcast.SentCount));
        // Its completion tells nobody: the platform tenant has no owner, and no log row claims a notification.
        Assert.Equal(0, await db.NotificationLogs.CountAsync());
    }

    [Fact]
    public async Task AnAdminBroadcast_ToChosenTenants_ReachesOnlyThem_AndIsRefusedWhileTheConnectionIsDown()
    {
        var second = await AddTenantAsync("Toko Budi", "Budi", "081322220002");

        var started = await _host.InScopeAsync(sp => sp.GetRequiredService<AdminBroadcastService>().StartAsync(
            new AdminBroadcastRequest { Name = "Hanya Budi", Message = "Halo {name}", TenantIds = [second] }, AuditActor.System));
        Assert.True(started.Succeeded, string.Join(" ", started.Errors));
        await RunAdminQueueAsync();
        Assert.Single(await AdminSentToAsync("+6281322220002"));
        Assert.Empty(await AdminSentToAsync(OwnerPhone));

        await using (var db = _host.Database.CreateSystem())
            await db.Workspaces.Where(w => w.Id == _admin.WorkspaceId).ExecuteUpdateAsync(s => s.SetProperty(w => w.ConnectionStatus, ConnectionStatus.ScanQr));
        var refused = await _host.InScopeAsync(sp => sp.GetRequiredService<AdminBroadcastService>().StartAsync(
            new AdminBroadcastRequest { Name = "Lagi", Message = "Halo" }, AuditActor.System));
        Assert.False(refused.Succeeded);
        Assert.Equal(KelolaPesan.Core.Common.ProblemText.Format("AdminBroadcast_NotConnected"), Assert.Single(refused.Errors));
    }

    [Fact]
    public async Task TheOwnerNumber_IsStoredNormalised_AndABadOneIsRefusedWithItsReason()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var owners = scope.ServiceProvider.GetRequiredService<AdminBroadcastService>();

        Assert.StartsWith(AdminBroadcastService.ReasonInvalidPhone, await owners.SetOwnerPhoneAsync(_host.TenantId, "12ab", AuditActor.System));
        Assert.Null(await owners.SetOwnerPhoneAsync(_host.TenantId, "0812-9999-0001", AuditActor.System));
        Assert.Equal("Not found.", await owners.SetOwnerPhoneAsync(_admin.TenantId, "081299990001", AuditActor.System));

        var row = Assert.Single(await owners.ListOwnersAsync([_host.TenantId]));
        Assert.Equal(("+6281299990001", null), (row.Phone, row.SkipReason));
        Assert.Null(await owners.SetOwnerPhoneAsync(_host.TenantId, "", AuditActor.System));
        Assert.Equal(AdminBroadcastService.ReasonNoPhone, Assert.Single(await owners.ListOwnersAsync([_host.TenantId])).SkipReason);
    }

    private async Task<Guid> AddTenantAsync(string name, string owner, string? phone)
    {
        return await _host.Database.SeedAsync(db =>
        {
            var tenant = Seed.Tenant(db, name);
            tenant.User(owner.ToLowerInvariant(), UserRole.Owner, u => (u.DisplayName, u.Phone) = (owner, phone));
            return tenant.Id;
        });
    }

    /// <summary>The admin workspace's send queue run as the scheduler would, the fake clock moved to each next run.</summary>
    private async Task RunAdminQueueAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            var run = await _host.InScopeAsync(sp => sp.GetRequiredService<BroadcastDispatcher>().RunAsync(_admin.TenantId, _admin.WorkspaceId));
            if (run.NextRunAt is not { } next)
                return;
            if (next > _host.Clock.GetUtcNow())
                _host.Clock.SetUtcNow(next);
        }
        throw new InvalidOperationException("The admin queue did not finish.");
    }
}
