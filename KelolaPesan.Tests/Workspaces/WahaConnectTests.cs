using System.Net;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static KelolaPesan.Tests.Webhooks.AppWorkspaces;

namespace KelolaPesan.Tests.Workspaces;

/// <summary>The app configured for WAHA, talking to the fake WAHA server over real HTTP.</summary>
public sealed class WahaConnectTests : IAsyncLifetime
{
    private const string PublicBaseUrl = "http://kelola.example";
    private FakeWahaServer _waha = null!;
    private KelolaAppFactory _app = null!;

    public async Task InitializeAsync()
    {
        _waha = await FakeWahaServer.StartAsync();
        _app = new KelolaAppFactory()
            .WithSetting("Gateway:Kind", "Waha")
            .WithSetting("Gateway:Waha:BaseUrl", _waha.BaseAddress.ToString())
            .WithSetting("Gateway:Waha:ApiKey", FakeWahaServer.DefaultApiKey)
            .WithSetting("Gateway:PublicBaseUrl", PublicBaseUrl)
            .WithSetting("Gateway:MonitorIntervalSeconds", "0");
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _waha.DisposeAsync();
    }

    [Fact]
    public async Task Connecting_CreatesTheSessionAtWaha_WithTheWorkspaceWebhookAndItsHmacKey()
    {
        var (tenantId, workspaceId) = await QueryAsync(_app, db => db.Workspaces.Where(w => w.Name == "Toko Utama").Select(w => new { w.TenantId, w.Id }).FirstAsync()) is var r ? (r.TenantId, r.Id) : default;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().SetTenant(tenantId);
            var result = await scope.ServiceProvider.GetRequiredService<WorkspaceService>().ConnectAsync(workspaceId);
            Assert.True(result.Succeeded, result.Detail);
        }

        var workspace = await QueryAsync(_app, db => db.Workspaces.SingleAsync(w => w.Id == workspaceId));
        var config = _waha.SessionConfig(workspace.ExternalSessionId!);
        Assert.NotNull(config);
        Assert.Equal(workspaceId.ToString(), config!["metadata"]!["workspaceId"]!.GetValue<string>());
        Assert.Equal(tenantId.ToString(), config["metadata"]!["tenantId"]!.GetValue<string>());
        var webhook = Assert.Single(config["webhooks"]!.AsArray())!;
        Assert.Equal($"{PublicBaseUrl}/webhooks/whatsapp?workspace={workspaceId}", webhook["url"]!.GetValue<string>());
        var key = webhook["hmac"]!["key"]!.GetValue<string>();
        Assert.True(key.Length >= 32);
        var protector = _app.Services.GetRequiredService<ISecretProtector>();
        Assert.Equal(key, protector.Unprotect(WorkspaceService.WebhookSecretPurpose, workspace.WebhookSecretEncrypted!));
        Assert.DoesNotContain(key, workspace.WebhookSecretEncrypted!);

        // The key the gateway was given is the one the app verifies with.
        var body = FakeWahaServer.Envelope("message.any", workspace.ExternalSessionId!, FakeWahaServer.MessagePayload("waha-1", "6281234567800@c.us", "6280000000001@c.us", "dari WAHA"));
        using var response = await FakeWahaServer.SendWebhookAsync(new Uri($"{_app.BaseUrl}/webhooks/whatsapp?workspace={workspaceId}"), key, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await EventuallyAsync(() => QueryAsync(_app, db => db.Messages.AnyAsync(m => m.ExternalMessageId == "waha-1")), "message stored");
    }

    [Fact]
    public async Task AGatewayFailure_IsRecordedAsAnErrorOnTheWorkspace()
    {
        var (tenantId, workspaceId) = await QueryAsync(_app, db => db.Workspaces.Where(w => w.Name == "Layanan Pelanggan").Select(w => new { w.TenantId, w.Id }).FirstAsync()) is var r ? (r.TenantId, r.Id) : default;
        _waha.FailNext(20, 500);
        await using var scope = _app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().SetTenant(tenantId);
        var result = await scope.ServiceProvider.GetRequiredService<WorkspaceService>().ConnectAsync(workspaceId);

        Assert.Equal(WorkspaceError.Gateway, result.Error);
        var error = await QueryAsync(_app, db => db.WorkspaceEvents.SingleAsync(e => e.WorkspaceId == workspaceId && e.Kind == WorkspaceEventKind.Error));
        Assert.Equal("Connect", error.Operation);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }
}
