using System.Globalization;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KelolaPesan.Tests.Admin;

/// <summary>Notifications go through the real WAHA adapter to a fake WAHA server over loopback HTTP.</summary>
public sealed class PlatformNotifierTests : IAsyncLifetime
{
    private const string OwnerPhone = "6281234567891";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 1, 0, 0, TimeSpan.Zero));
    private SqliteTestDatabase _db = null!;
    private FakeWahaServer _waha = null!;
    private ServiceProvider _gateways = null!;
    private PlatformNotifier _notifier = null!;
    private AdminConnection _connection = null!;
    private Guid _tenantId, _licenceId;

    public async Task InitializeAsync()
    {
        _db = await SqliteTestDatabase.CreateAsync(_clock);
        _waha = await FakeWahaServer.StartAsync();
        _gateways = new ServiceCollection().AddGateways(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Kind"] = "Waha",
            ["Gateway:Waha:BaseUrl"] = _waha.BaseAddress.ToString(),
            ["Gateway:Waha:ApiKey"] = FakeWahaServer.DefaultApiKey,
        }).Build()).BuildServiceProvider();

        var factory = _db.CreateFactory(SystemTenant.Instance);
        await new PlatformDefaults(factory).EnsureAsync();
        _connection = new AdminConnection(factory, new AuditLog(factory, _clock));
        _notifier = new PlatformNotifier(factory, _gateways.GetRequiredService<IWhatsAppGateway>(), _clock, NullLogger<PlatformNotifier>.Instance);

        var tenant = await _db.SeedAsync(db =>
        {
            var tenant = Seed.Tenant(db, "Toko Ani", l => l.ExpiresAt = _clock.GetUtcNow().AddDays(3));
            tenant.User("ani", UserRole.Owner, u => (u.DisplayName, u.Phone) = ("Ani", OwnerPhone));
            return tenant;
        });
        (_tenantId, _licenceId) = (tenant.Id, tenant.Licence.Id);
    }

    public async Task DisposeAsync()
    {
        await _gateways.DisposeAsync();
        await _waha.DisposeAsync();
        await _db.DisposeAsync();
    }

    private async Task ConnectAdminWorkspaceAsync()
    {
        var info = await _connection.EnsureAsync(AuditActor.System);
        await using var db = _db.CreateSystem();
        var workspace = await db.Workspaces.SingleAsync(w => w.Id == info.WorkspaceId);
        workspace.ConnectionStatus = ConnectionStatus.Connected;
        await db.SaveChangesAsync();
        _waha.AddSession(info.SessionName!);
    }

    private IReadOnlyList<RecordedRequest> Sends => _waha.RequestsTo("POST", "/api/sendText");

    [Fact]
    public async Task AnExpiringLicence_IsNotifiedOnce_HoweverOftenTheJobRuns()
    {
        await ConnectAdminWorkspaceAsync();

        Assert.Equal(1, await _notifier.NotifyLicenceExpiriesAsync());
        Assert.Equal(0, await _notifier.NotifyLicenceExpiriesAsync());

        var send = Assert.Single(Sends);
        Assert.Contains(OwnerPhone, (string?)send.Json!["chatId"]);
        var text = (string?)send.Json!["text"];
        Assert.Contains("Ani", text);
        Assert.Contains("Toko Ani", text);
        Assert.Contains(_clock.GetUtcNow().AddDays(3).ToOffset(TimeSpan.FromHours(7)).ToString("d MMM yyyy", new CultureInfo("id-ID")), text);
        await using var db = _db.CreateSystem();
        var log = await db.NotificationLogs.SingleAsync();
        Assert.Equal(PlatformNotifier.LicenceExpiringKey(_licenceId, _clock.GetUtcNow().AddDays(3)), log.EventKey);
        Assert.True(log.Succeeded);
    }

    [Fact]
    public async Task OnceExpired_TheExpiredNoticeIsADifferentEvent_AlsoSentOnce()
    {
        await ConnectAdminWorkspaceAsync();
        await _notifier.NotifyLicenceExpiriesAsync();

        _clock.Advance(TimeSpan.FromDays(4));
        await _notifier.NotifyLicenceExpiriesAsync();
        await _notifier.NotifyLicenceExpiriesAsync();

        Assert.Equal(2, Sends.Count);
        await using var db = _db.CreateSystem();
        Assert.Equal([NotificationEvent.LicenceExpiring, NotificationEvent.LicenceExpired],
            (await db.NotificationLogs.ToListAsync()).OrderBy(l => l.CreatedAt.UtcTicks).Select(l => l.Event));
    }

    [Fact]
    public async Task WithoutAConnectedAdminWorkspace_NothingIsClaimed_SoALaterRunStillSends()
    {
        Assert.Equal(NotificationOutcome.NoAdminConnection, await _notifier.NotifyBroadcastFinishedAsync(_tenantId, Guid.NewGuid(), "x", 1, 0));
        await _notifier.NotifyLicenceExpiriesAsync();
        await using (var db = _db.CreateSystem())
            Assert.Equal(0, await db.NotificationLogs.CountAsync());

        await ConnectAdminWorkspaceAsync();
        Assert.Equal(1, await _notifier.NotifyLicenceExpiriesAsync());
        Assert.Single(Sends);
    }

    [Fact]
    public async Task ABroadcastFinishedEvent_IsSentOnce_WithItsFigures()
    {
        await ConnectAdminWorkspaceAsync();
        var broadcastId = Guid.NewGuid();

        var first = await _notifier.NotifyBroadcastFinishedAsync(_tenantId, broadcastId, "Promo Desember", 950, 12);
        var second = await _notifier.NotifyBroadcastFinishedAsync(_tenantId, broadcastId, "Promo Desember", 950, 12);

        Assert.Equal((NotificationOutcome.Sent, NotificationOutcome.AlreadyNotified), (first, second));
        var text = (string?)Assert.Single(Sends).Json!["text"];
        Assert.Contains("Promo Desember", text);
        Assert.Contains("950", text);
    }

    [Fact]
    public async Task AFailedSend_IsRecordedWithItsError_AndNotRepeated()
    {
        await ConnectAdminWorkspaceAsync();
        _waha.FailNext(100, status: 400);

        var workspaceId = Guid.NewGuid();
        var day = new DateOnly(2026, 11, 29);

        Assert.Equal(NotificationOutcome.Failed, await _notifier.NotifyDailyCapReachedAsync(_tenantId, workspaceId, "Toko Utama", day, 1000));
        Assert.Equal(NotificationOutcome.AlreadyNotified, await _notifier.NotifyDailyCapReachedAsync(_tenantId, workspaceId, "Toko Utama", day, 1000));

        await using var db = _db.CreateSystem();
        var log = await db.NotificationLogs.SingleAsync();
        Assert.False(log.Succeeded);
        Assert.False(string.IsNullOrEmpty(log.Error));
    }

    [Fact]
    public void TemplatesRender_KnownPlaceholders_AndLeaveUnknownOnesVisible()
    {
        var rendered = NotificationTemplates.Render("Halo {owner}, {tenant} {nope}", NotificationTemplates.SampleValues);

        Assert.Equal("Halo Sari, Toko Demo {nope}", rendered);
        Assert.Equal(["nope"], NotificationTemplates.UnknownPlaceholders(NotificationEvent.LicenceExpired, "{owner} {nope}"));
    }

    [Fact]
    public void ATemplateWithAnUnclosedBrace_IsRefused_AsTheBroadcastEditorRefusesIt()
    {
        var validator = new NotificationTemplateValidator();
        var unclosed = validator.Validate(new NotificationTemplate { Event = NotificationEvent.LicenceExpired, Body = "Halo {owner} lisensi {tenant" });
        var closed = validator.Validate(new NotificationTemplate { Event = NotificationEvent.LicenceExpired, Body = "Halo {owner} lisensi {tenant}" });

        Assert.Contains("Template_UnbalancedBraces", unclosed.Errors.Select(e => e.ErrorCode));
        Assert.True(closed.IsValid, string.Join(", ", closed.Errors));
    }
}
