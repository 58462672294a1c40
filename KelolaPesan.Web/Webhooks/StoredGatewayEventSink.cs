using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Web.Webhooks;

/// <summary>
/// Where in-process gateway events (the simulator) go: written as the WAHA envelope and stored exactly like a
/// verified webhook, so they are de-duplicated and processed by the same code as real ones.
/// </summary>
public sealed class StoredGatewayEventSink(WhatsAppWebhookIngest ingest, WebhookEventQueue queue, IKelolaDbFactory dbFactory, TimeProvider clock)
    : IGatewayEventSink
{
    public async Task OnEventAsync(GatewayEvent evt, CancellationToken ct)
    {
        if (await RouteAsync(evt, ct) is not { } route)
            return;
        var result = await ingest.StoreAsync(route.TenantId, route.WorkspaceId, WahaEnvelopeWriter.Write(evt, clock.GetUtcNow()), ct);
        if (result is { Outcome: WebhookIngestOutcome.Stored, EventId: { } id })
            queue.Enqueue(id);
    }

    /// <summary>The session metadata names the workspace; a session without it is looked up by name.</summary>
    private async Task<(Guid TenantId, Guid WorkspaceId)?> RouteAsync(GatewayEvent evt, CancellationToken ct)
    {
        await using var db = dbFactory.CreateSystem();
        var query = db.Workspaces.AsNoTracking();
        query = evt.Metadata.TryGetValue("workspaceId", out var raw) && Guid.TryParse(raw, out var workspaceId)
            ? query.Where(w => w.Id == workspaceId)
            : query.Where(w => w.ExternalSessionId == evt.Session);
        var row = await query.Select(w => new { w.TenantId, w.Id }).FirstOrDefaultAsync(ct);
        return row is null ? null : (row.TenantId, row.Id);
    }
}
