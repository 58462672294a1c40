using System.Text.Json.Nodes;
using KelolaPesan.Core.Webhooks;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Tests.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Data;

namespace KelolaPesan.Tests.Webhooks;

/// <summary>The processor over stored rows in a real SQLite file, without the timing of the app's queue.</summary>
public sealed class WhatsAppEventProcessorTests : IAsyncLifetime
{
    private const string Me = "6280000000001@c.us";
    private CoreServiceHost _host = null!;
    private Workspace _workspace = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task StartAsync(DatabaseProvider provider)
    {
        _host = await CoreServiceHost.CreateAsync(provider: provider);
        _workspace = await _host.AddWorkspaceAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
    }

    private async Task<Guid> StoreAsync(string eventName, JsonNode payload)
    {
        var result = await _host.InScopeAsync(sp => sp.GetRequiredService<WhatsAppWebhookIngest>()
            .StoreAsync(_host.TenantId, _workspace.Id, FakeWahaServer.Envelope(eventName, _workspace.ExternalSessionId!, payload)));
        return Assert.IsType<Guid>(result.EventId);
    }

    private Task ProcessAsync(IReadOnlyList<Guid> ids) =>
        _host.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<WhatsAppEventProcessor>().ProcessBatchAsync(ids);
            return true;
        });

    // Events that arrive together are applied as one batch; they used to be applied but never marked (the mark ran
    // through the tenant's context, to which raw events are hidden), so every sweep applied them again.
    [Theory, Providers]
    public async Task ABatch_IsAppliedOnce_AndEveryEventOfItIsMarkedProcessed(DatabaseProvider provider)
    {
        await StartAsync(provider);
        List<Guid> ids =
        [
            await StoreAsync("message.any", FakeWahaServer.MessagePayload("m-1", "6281234567891@c.us", Me, "halo")),
            await StoreAsync("message", FakeWahaServer.MessagePayload("m-1", "6281234567891@c.us", Me, "halo")),
            await StoreAsync("message.any", FakeWahaServer.MessagePayload("m-2", "6281234567892@c.us", Me, "ada stok?")),
            await StoreAsync("session.status", new JsonObject { ["status"] = "WORKING" }),
        ];

        await ProcessAsync(ids);
        await ProcessAsync(ids);

        await using var db = _host.Database.CreateSystem();
        var events = await db.InboundWebhookEvents.Where(e => e.WorkspaceId == _workspace.Id).ToListAsync();
        Assert.Equal(4, events.Count);
        Assert.All(events, e => Assert.Equal((1, true, null), (e.Attempts, e.ProcessedAt is not null, e.Error)));
        Assert.Equal(2, await db.Messages.CountAsync(m => m.WorkspaceId == _workspace.Id));
        var workspace = await db.Workspaces.SingleAsync(w => w.Id == _workspace.Id);
        Assert.Equal((2, 2, ConnectionStatus.Connected), (workspace.UnreadMessages, workspace.UnreadChats, workspace.ConnectionStatus));
        Assert.Empty(await _host.InScopeAsync(sp => sp.GetRequiredService<WhatsAppEventProcessor>().PendingAsync(TimeSpan.Zero, 100)));
    }
}
