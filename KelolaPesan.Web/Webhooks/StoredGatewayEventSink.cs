using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace KelolaPesan.Web.Webhooks;

/// <summary>
/// Where in-process gateway events (the simulator) go: written as the WAHA envelope and stored exactly like a
/// verified webhook, so they are de-duplicated and processed by the same code as real ones.
/// </summary>
public sealed class StoredGatewayEventSink(WhatsAppWebhookIngest ingest, WebhookEventQueue queue, IKelolaDbFactory dbFactory, GatewaySessionRoutes routes,
    TimeProvider clock) : IGatewayEventSink
{
    public async Task OnEventAsync(GatewayEvent evt, CancellationToken ct)
    {
        var byWorkspace = evt.Metadata.TryGetValue("workspaceId", out var raw) && Guid.TryParse(raw, out var workspaceId) ? workspaceId : (Guid?)null;
        var key = byWorkspace?.ToString() ?? "session:" + evt.Session;
        if (await routes.GetAsync(key, () => RouteAsync(byWorkspace, evt.Session, ct)) is not { } route)
            return;
        var result = await ingest.StoreAsync(route.TenantId, route.WorkspaceId, WahaEnvelopeWriter.Write(evt, clock.GetUtcNow()), ct);
        if (result is { Outcome: WebhookIngestOutcome.Stored, EventId: { } id })
            queue.Enqueue(id);
    }

    /// <summary>The session metadata names the workspace; a session without it is looked up by name.</summary>
    private async Task<SessionRoute?> RouteAsync(Guid? workspaceId, string session, CancellationToken ct)
    {
        await using var db = dbFactory.CreateSystem();
        var query = db.Workspaces.AsNoTracking();
        query = workspaceId is { } id ? query.Where(w => w.Id == id) : query.Where(w => w.ExternalSessionId == session);
        return await query.Select(w => new SessionRoute(w.TenantId, w.Id)).FirstOrDefaultAsync(ct);
    }
}

public sealed record SessionRoute(Guid TenantId, Guid WorkspaceId);

/// <summary>
/// Which tenant and workspace an in-process session's events belong to, kept for a short while: every simulated send
/// comes back as three events (echo, delivered, read), and each read the workspace row on a connection of its own (5% of
/// the profile's samples in our own code at 500 paced workspaces, and more in the database below it, docs/adr/0034). As long as a webhook key is kept (<see cref="WebhookKeyCache.Lifetime"/>):
/// a deleted workspace stops taking a session's events within it, as a real gateway's webhooks stop verifying. Only found
/// sessions are kept (a session made a moment ago is found at once); size-limited like the key cache.
/// </summary>
public sealed class GatewaySessionRoutes(TimeProvider clock) : IDisposable
{
    private readonly MemoryCache _routes = new(new MemoryCacheOptions { SizeLimit = WebhookKeyCache.Capacity });

    public async ValueTask<SessionRoute?> GetAsync(string key, Func<Task<SessionRoute?>> load)
    {
        var now = clock.GetUtcNow();
        if (_routes.TryGetValue(key, out Entry? entry) && entry!.Until > now)
            return entry.Route;
        var route = await load();
        if (route is not null)
        {
            _routes.Set(key, new Entry(route, now + WebhookKeyCache.Lifetime),
                new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = WebhookKeyCache.Lifetime });
        }
        return route;
    }

    public void Dispose() => _routes.Dispose();

    private sealed record Entry(SessionRoute Route, DateTimeOffset Until);
}
