using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Realtime;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.ExternalApi;

/// <summary>
/// Turns realtime bus events into outgoing webhook events (read once, queued per subscription). Scoped: the subscribed
/// event names of every tenant in a round of the worker are read together (<see cref="LoadSubscriptionsAsync"/>), once per
/// scope, and an event no subscription wants is dropped before its message is read, which is the common case: most
/// tenants subscribe to nothing.
/// </summary>
public sealed class WebhookEventTranslator(IKelolaDbFactory dbFactory, OutgoingWebhookService webhooks)
{
    private readonly Dictionary<Guid, HashSet<string>> _subscribed = [];

    /// <summary>True when the event is one a webhook can carry (cheap check before queueing work).</summary>
    public static bool Carries(RealtimeEvent evt) => Addressed(evt) is not null;

    public async Task<int> HandleAsync(RealtimeEvent evt, CancellationToken ct = default)
    {
        if (Addressed(evt) is not { } addressed || !(await SubscribedAsync(addressed.TenantId, ct)).Contains(addressed.Name))
            return 0;
        switch (evt)
        {
            case ChatMessageAdded { Direction: MessageDirection.Inbound } added:
                if (await MessageAsync(added.TenantId, added.MessageId, ct) is not { } received)
                    return 0;
                return await webhooks.EnqueueAsync(added.TenantId, WebhookEvents.MessageReceived, received, ct);
            case ChatMessageStatusChanged changed:
                if (await MessageAsync(changed.TenantId, changed.MessageId, ct) is not { } message || message.Direction != nameof(MessageDirection.Outbound))
                    return 0;
                return await webhooks.EnqueueAsync(changed.TenantId, WebhookEvents.MessageStatus, message with { Status = changed.Status.ToString() }, ct);
            case WorkspaceStatusChanged status:
                return await webhooks.EnqueueAsync(status.TenantId, WebhookEvents.SessionStatus,
                    new { workspaceId = status.WorkspaceId, status = status.Status.ToString() }, ct);
            case BroadcastFinished finished:
                if (await BroadcastAsync(finished.TenantId, finished.BroadcastId, ct) is not { } broadcast)
                    return 0;
                return await webhooks.EnqueueAsync(finished.TenantId, WebhookEvents.BroadcastFinished, broadcast, ct);
            case ChatChanged { Resolved: not null } chat:
                if (await ChatAsync(chat.TenantId, chat.ChatId, ct) is not { } view)
                    return 0;
                return await webhooks.EnqueueAsync(chat.TenantId, WebhookEvents.ChatStatus, view, ct);
            default:
                return 0;
        }
    }

    /// <summary>The webhook event name and the tenant of a bus event a webhook carries.</summary>
    private static (string Name, Guid TenantId)? Addressed(RealtimeEvent evt) => evt switch
    {
        ChatMessageAdded { Direction: MessageDirection.Inbound } e => (WebhookEvents.MessageReceived, e.TenantId),
        ChatMessageStatusChanged e => (WebhookEvents.MessageStatus, e.TenantId),
        WorkspaceStatusChanged e => (WebhookEvents.SessionStatus, e.TenantId),
        BroadcastFinished e => (WebhookEvents.BroadcastFinished, e.TenantId),
        ChatChanged { Resolved: not null } e => (WebhookEvents.ChatStatus, e.TenantId),
        _ => null,
    };

    /// <summary>Reads, in one query, what the tenants of these events subscribe to (those not read in this scope yet).</summary>
    public async Task LoadSubscriptionsAsync(IEnumerable<RealtimeEvent> events, CancellationToken ct = default)
    {
        var tenants = events.Select(Addressed).OfType<(string Name, Guid TenantId)>().Select(a => a.TenantId)
            .Where(t => !_subscribed.ContainsKey(t)).Distinct().ToList();
        if (tenants.Count == 0)
            return;
        var subscribed = await webhooks.SubscribedEventsAsync(tenants, ct);
        foreach (var tenant in tenants)
            _subscribed[tenant] = subscribed.GetValueOrDefault(tenant) ?? [];
    }

    private async Task<HashSet<string>> SubscribedAsync(Guid tenantId, CancellationToken ct)
    {
        if (!_subscribed.TryGetValue(tenantId, out var names))
            _subscribed[tenantId] = names = (await webhooks.SubscribedEventsAsync([tenantId], ct)).GetValueOrDefault(tenantId) ?? [];
        return names;
    }

    private async Task<WebhookBroadcast?> BroadcastAsync(Guid tenantId, Guid broadcastId, CancellationToken ct)
    {
        await using var db = dbFactory.CreateForTenant(tenantId);
        return await db.Broadcasts.AsNoTracking().Where(b => b.Id == broadcastId)
            .Select(b => new WebhookBroadcast(b.Id, b.WorkspaceId, b.Name, b.Status.ToString(), b.TotalRecipients,
                b.SentCount + b.DeliveredCount + b.ReadCount, b.FailedCount, b.SkippedCount, b.UncertainCount, b.StartedAt, b.FinishedAt))
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>The chat as the REST API shows it, read when the event is handled (its state then, not at the click).</summary>
    private async Task<ApiChatView?> ChatAsync(Guid tenantId, Guid chatId, CancellationToken ct)
    {
        await using var db = dbFactory.CreateForTenant(tenantId);
        return await ApiChatView.Project(db.Chats.AsNoTracking().Where(c => c.Id == chatId)).FirstOrDefaultAsync(ct);
    }

    private async Task<WebhookMessage?> MessageAsync(Guid tenantId, Guid messageId, CancellationToken ct)
    {
        await using var db = dbFactory.CreateForTenant(tenantId);
        return await db.Messages.AsNoTracking().Where(m => m.Id == messageId)
            .Select(m => new WebhookMessage(m.Id, m.WorkspaceId, m.ChatId,
                db.Chats.Where(c => c.Id == m.ChatId).Select(c => c.PhoneNumber).FirstOrDefault(),
                m.Direction.ToString(), m.Status.ToString(), m.Body, m.SenderName, m.SentAt))
            .FirstOrDefaultAsync(ct);
    }
}

public sealed record WebhookMessage(Guid Id, Guid WorkspaceId, Guid ChatId, string? Phone, string Direction, string Status, string Body,
    string? SenderName, DateTimeOffset SentAt);

/// <summary>The <c>broadcast.finished</c> payload: sent counts delivered and read too.</summary>
public sealed record WebhookBroadcast(Guid Id, Guid WorkspaceId, string Name, string Status, int Total, int Sent, int Failed, int Skipped,
    int Uncertain, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);
