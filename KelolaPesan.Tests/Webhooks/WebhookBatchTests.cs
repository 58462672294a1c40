using System.Text.Json.Nodes;
using KelolaPesan.Core.Webhooks;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Workspaces;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Webhooks;

/// <summary>
/// A host with two workspaces of one tenant and one of a second, webhook events stored as the ingest stores them and
/// one dequeued batch of them processed, for the tests of batches spread over workspaces and tenants (docs/adr/0026).
/// </summary>
public abstract class WebhookBatchTests : IAsyncLifetime
{
    protected const string Me = "6280000000001@c.us";
    protected CoreServiceHost _host = null!;
    protected readonly List<(Guid Tenant, Workspace Workspace)> _workspaces = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
    }

    /// <summary>Two workspaces of the host's tenant and one of a second tenant.</summary>
    protected async Task StartAsync(DatabaseProvider provider, ReadCounter? reads = null)
    {
        _host = await CoreServiceHost.CreateAsync(provider: provider, configure: reads is null ? null : reads.Install);
        _workspaces.Add((_host.TenantId, await _host.AddWorkspaceAsync("Toko A")));
        _workspaces.Add((_host.TenantId, await _host.AddWorkspaceAsync("Toko B")));
        var other = await _host.Database.SeedAsync(db =>
        {
            var tenant = Seed.Tenant(db, "Lain");
            return (tenant.Id, tenant.Workspace("Toko Lain", Seed.NewSession()));
        });
        _workspaces.Add(other);
    }

    protected async Task<Guid> StoreAsync((Guid Tenant, Workspace Workspace) target, string eventName, JsonNode payload)
    {
        var result = await _host.InScopeAsync(sp => sp.GetRequiredService<WhatsAppWebhookIngest>()
            .StoreAsync(target.Tenant, target.Workspace.Id, FakeWahaServer.Envelope(eventName, target.Workspace.ExternalSessionId!, payload)));
        return Assert.IsType<Guid>(result.EventId);
    }

    /// <returns>The events to try again soon (acks whose message was not known).</returns>
    protected Task<IReadOnlyList<Guid>> ProcessAsync(IReadOnlyList<Guid> ids) =>
        _host.InScopeAsync(sp => sp.GetRequiredService<WhatsAppEventProcessor>().ProcessBatchAsync(ids));

    protected static string Customer(int n) => $"62812345678{n}@c.us";
}
