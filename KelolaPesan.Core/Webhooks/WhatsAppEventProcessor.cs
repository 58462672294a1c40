using System.Text;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Webhooks;

/// <summary>
/// Processes one stored WhatsApp event (webhook or simulator) from its row: parse, hand to the inbox or the
/// workspace connection, then mark it processed, or count the attempt and keep the error for a later retry.
/// </summary>
public sealed class WhatsAppEventProcessor(
    IKelolaDbFactory dbFactory,
    InboundMessageService inbound,
    WorkspaceConnectionService connections,
    TimeProvider clock,
    ILogger<WhatsAppEventProcessor> logger)
{
    public const int MaxAttempts = 5;

    /// <summary>Unprocessed events still worth trying, oldest first (the start-up and periodic sweep).</summary>
    public async Task<IReadOnlyList<Guid>> PendingAsync(TimeSpan olderThan, int max, CancellationToken ct = default)
    {
        var before = clock.GetUtcNow() - olderThan;
        await using var db = dbFactory.CreateSystem();
        return await db.InboundWebhookEvents.AsNoTracking()
            .Where(e => e.Source == WebhookSource.WhatsApp && e.ProcessedAt == null && e.Attempts < MaxAttempts && e.ReceivedAt <= before)
            .OrderBy(e => e.ReceivedAt)
            .Select(e => e.Id)
            .Take(max)
            .ToListAsync(ct);
    }

    public async Task ProcessAsync(Guid eventId, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateSystem();
        if (await db.InboundWebhookEvents.FirstOrDefaultAsync(e => e.Id == eventId, ct) is not { ProcessedAt: null } row)
            return;

        string? error = null;
        try
        {
            error = await HandleAsync(row, ct);
        }
        catch (WebhookPayloadException ex)
        {
            // A malformed event will not get better: kept with its reason, not retried.
            error = ex.Message;
            row.Attempts = MaxAttempts - 1;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Processing WhatsApp event {EventId} ({EventType}) failed", row.Id, row.EventType);
            error = ex.Message;
        }

        row.Attempts++;
        row.Error = error is null ? null : (error.Length > 2000 ? error[..2000] : error);
        if (error is null)
            row.ProcessedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>Returns null when done, or why the event must be tried again.</summary>
    private async Task<string?> HandleAsync(InboundWebhookEvent row, CancellationToken ct)
    {
        if (row is not { TenantId: { } tenantId, WorkspaceId: { } workspaceId })
            return null;
        var evt = WahaWebhookParser.Parse(Encoding.UTF8.GetBytes(row.Payload));
        switch (evt)
        {
            case SessionStatusChanged s:
                await connections.ApplyStatusAsync(tenantId, workspaceId, s.Status, s.Me, ct);
                return null;
            case MessageReceived m:
                await inbound.HandleReceivedAsync(tenantId, workspaceId, m.Session, m.Message, ct);
                return null;
            case MessageAcked a:
                // An ack can overtake the message it acknowledges (our own send not yet stored): try again later.
                return await inbound.HandleAckAsync(tenantId, workspaceId, a.MessageId, a.Status, ct) ? null : "The acknowledged message is not known yet.";
            default:
                return null;
        }
    }
}
