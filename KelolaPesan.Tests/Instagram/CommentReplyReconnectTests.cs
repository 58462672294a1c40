using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Instagram;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static KelolaPesan.Tests.Webhooks.AppWorkspaces;

namespace KelolaPesan.Tests.Instagram;

/// <summary>
/// The real app and the fake Graph, with the background sweep slowed to ten minutes: a private reply that met an
/// expired token goes out right after the reconnect because the reconnect itself asks for it, not a later sweep.
/// </summary>
public sealed class CommentReplyReconnectTests : IAsyncLifetime
{
    private FakeGraphServer _graph = null!;
    private KelolaAppFactory _app = null!;

    public async Task InitializeAsync()
    {
        _graph = await FakeGraphServer.StartAsync();
        _app = new KelolaAppFactory().WithSetting("Gateway:MonitorIntervalSeconds", "0").WithSetting("Instagram:SweepSeconds", "600");
        foreach (var (key, value) in _graph.Settings)
            _app.WithSetting(key, value);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _graph.DisposeAsync();
    }

    [Fact]
    public async Task AReplyThatMetAnExpiredToken_IsSentAsSoonAsTheAccountIsReconnected()
    {
        const string redirect = "https://app.test/instagram/callback";
        Guid tenantId, workspaceId;
        await using (var scope = _app.Services.CreateAsyncScope())
        await using (var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem())
        {
            tenantId = await db.Workspaces.Where(w => w.Name == "Toko Utama").Select(w => w.TenantId).FirstAsync();
            var workspace = new Workspace { TenantId = tenantId, Name = "Instagram reconnect" };
            db.Workspaces.Add(workspace);
            await db.SaveChangesAsync();
            workspaceId = workspace.Id;
        }
        Task<T> InTenant<T>(Func<IServiceProvider, Task<T>> action) => InTenantAsync(tenantId, action);
        Assert.True((await InTenant(sp => sp.GetRequiredService<InstagramAccountService>()
            .ConnectAsync(workspaceId, _graph.IssueCode(redirect), redirect, AuditActor.System))).Succeeded);
        await InTenant(sp => sp.GetRequiredService<CommentAutomationService>().CreateAsync(workspaceId,
            new CommentAutomationInput { Name = "Semua", AllComments = true, PrivateReplyTemplate = "Hai {username}" }));

        _graph.FailNext(1, code: 190, pathContains: "/messages", message: "Error validating access token");
        using (var response = await FakeGraphServer.PostWebhookAsync(new Uri($"{_app.BaseUrl}/webhooks/instagram"),
                   FakeGraphServer.CommentWebhook("c-reconnect-1", "halo kak", "5552001", "wati", "17900000000000011")))
            Assert.True(response.IsSuccessStatusCode);
        await EventuallyAsync(() => QueryAsync(_app, db => db.InstagramAccounts.AnyAsync(a => a.WorkspaceId == workspaceId
            && a.Status == InstagramConnectionStatus.TokenExpired)), "account marked expired");
        var waiting = await QueryAsync(_app, db => db.CommentReplies.SingleAsync(r => r.CommentId == "c-reconnect-1"));
        Assert.Equal(CommentReplyStatus.Queued, waiting.Status);
        Assert.StartsWith("Instagram_ReconnectNeeded", waiting.Error);

        Assert.True((await InTenant(sp => sp.GetRequiredService<InstagramAccountService>()
            .ConnectAsync(workspaceId, _graph.IssueCode(redirect), redirect, AuditActor.System))).Succeeded);

        await EventuallyAsync(() => QueryAsync(_app, db => db.CommentReplies.AnyAsync(r => r.CommentId == "c-reconnect-1" && r.Status == CommentReplyStatus.Sent)),
            "reply sent after the reconnect", seconds: 20);
        var sent = Assert.Single(_graph.PrivateReplies);
        Assert.Equal(("c-reconnect-1", "Hai wati"), (sent.CommentId, sent.Text));
    }

    private async Task<T> InTenantAsync<T>(Guid tenantId, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().SetTenant(tenantId);
        return await action(scope.ServiceProvider);
    }
}
