using KelolaPesan.Core.Common;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Realtime;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.ExternalApi;

/// <summary>Turns realtime bus events into outgoing webhook events (read once, queued per subscription).</summary>
public sealed class WebhookEventTranslator(IKelolaDbFactory dbFactory, OutgoingWebhookService webhooks)
{
    /// <summary>True when the event is one a webhook can carry (cheap check before queueing work).</summary>
    public static bool Carries(RealtimeEvent evt) =>
        evt is ChatMessageAdded { Direction: MessageDirection.Inbound } or ChatMessageStatusChanged or WorkspaceStatusChanged;

    public async Task<int> HandleAsync(RealtimeEvent evt, CancellationToken ct = default)
    {
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
            default:
                return 0;
        }
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
