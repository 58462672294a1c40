using System.Globalization;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Admin;

/// <summary>
/// Sends platform notifications to a tenant owner's WhatsApp number (<see cref="AppUser.Phone"/>) through the admin
/// connection, once per event: each event has a key and a <see cref="NotificationLog"/> row unique by that key is
/// claimed before sending. A send that fails is recorded and not retried (a retry could double a message the
/// gateway did deliver). While the admin connection is not connected nothing is claimed, so a later run sends it.
/// </summary>
public sealed class PlatformNotifier(IKelolaDbFactory dbFactory, IWhatsAppGateway gateway, TimeProvider clock, ILogger<PlatformNotifier> logger)
{
    /// <summary>Expired licences older than this are not notified (a new install must not message every old customer).</summary>
    public static readonly TimeSpan ExpiredLookBack = TimeSpan.FromDays(30);

    private static readonly CultureInfo Indonesian = new("id-ID");

    public static string LicenceExpiringKey(Guid licenceId, DateTimeOffset expiresAt) => $"licence-expiring:{licenceId}:{expiresAt:yyyyMMdd}";
    public static string LicenceExpiredKey(Guid licenceId, DateTimeOffset expiresAt) => $"licence-expired:{licenceId}:{expiresAt:yyyyMMdd}";

    /// <summary>The Quartz job's work: tenant licences expiring within the template's DaysBefore, and licences that expired.</summary>
    public async Task<int> NotifyLicenceExpiriesAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        List<(Guid LicenceId, Guid TenantId, DateTimeOffset ExpiresAt)> candidates;
        int daysBefore;
        await using (var db = dbFactory.CreateSystem())
        {
            daysBefore = await db.NotificationTemplates.Where(t => t.Event == NotificationEvent.LicenceExpiring)
                .Select(t => (int?)t.DaysBefore).FirstOrDefaultAsync(cancellationToken) ?? 7;
            var horizon = now.AddDays(daysBefore);
            var oldest = now - ExpiredLookBack;
            candidates = (await (from t in db.Tenants
                                 join l in db.Licences on t.LicenceId equals l.Id
                                 where !t.IsPlatform && l.Status == LicenceStatus.Active && l.ExpiresAt != null
                                       && l.ExpiresAt <= horizon && l.ExpiresAt > oldest
                                 select new { LicenceId = l.Id, TenantId = t.Id, l.ExpiresAt })
                    .ToListAsync(cancellationToken))
                .Select(x => (x.LicenceId, x.TenantId, x.ExpiresAt!.Value)).ToList();
        }

        var sent = 0;
        foreach (var (licenceId, tenantId, expiresAt) in candidates)
        {
            var expired = expiresAt <= now;
            var values = new Dictionary<string, string>
            {
                ["expiry"] = FormatDate(expiresAt),
                ["days"] = Math.Max(0, (int)Math.Ceiling((expiresAt - now).TotalDays)).ToString(CultureInfo.InvariantCulture),
            };
            var outcome = expired
                ? await NotifyAsync(NotificationEvent.LicenceExpired, LicenceExpiredKey(licenceId, expiresAt), tenantId, values, cancellationToken)
                : await NotifyAsync(NotificationEvent.LicenceExpiring, LicenceExpiringKey(licenceId, expiresAt), tenantId, values, cancellationToken);
            if (outcome == NotificationOutcome.Sent)
                sent++;
            else if (outcome == NotificationOutcome.NoAdminConnection)
                break;
        }
        return sent;
    }

    public Task<NotificationOutcome> NotifyWorkspaceDisconnectedAsync(Guid tenantId, Guid workspaceId, string workspaceName, DateTimeOffset disconnectedAt, CancellationToken cancellationToken = default) =>
        NotifyAsync(NotificationEvent.WorkspaceDisconnected, $"workspace-disconnected:{workspaceId}:{disconnectedAt.UtcTicks}", tenantId,
            new Dictionary<string, string> { ["workspace"] = workspaceName }, cancellationToken);

    public Task<NotificationOutcome> NotifyInstagramDisconnectedAsync(Guid tenantId, Guid accountId, string workspaceName, string username, DateTimeOffset disconnectedAt, CancellationToken cancellationToken = default) =>
        NotifyAsync(NotificationEvent.InstagramDisconnected, $"instagram-disconnected:{accountId}:{disconnectedAt.UtcTicks}", tenantId,
            new Dictionary<string, string> { ["workspace"] = workspaceName, ["account"] = username }, cancellationToken);

    public Task<NotificationOutcome> NotifyBroadcastFinishedAsync(Guid tenantId, Guid broadcastId, string broadcastName, int sent, int failed, CancellationToken cancellationToken = default) =>
        NotifyAsync(NotificationEvent.BroadcastFinished, $"broadcast-finished:{broadcastId}", tenantId,
            new Dictionary<string, string> { ["broadcast"] = broadcastName, ["sent"] = sent.ToString(Indonesian), ["failed"] = failed.ToString(Indonesian) }, cancellationToken);

    public Task<NotificationOutcome> NotifyBroadcastPausedAsync(Guid tenantId, Guid broadcastId, string broadcastName, string reason, DateTimeOffset pausedAt, CancellationToken cancellationToken = default) =>
        NotifyAsync(NotificationEvent.BroadcastPaused, $"broadcast-paused:{broadcastId}:{pausedAt.UtcTicks}", tenantId,
            new Dictionary<string, string> { ["broadcast"] = broadcastName, ["reason"] = reason }, cancellationToken);

    public Task<NotificationOutcome> NotifyDailyCapReachedAsync(Guid tenantId, Guid workspaceId, string workspaceName, DateOnly day, int cap, CancellationToken cancellationToken = default) =>
        NotifyAsync(NotificationEvent.DailyCapReached, $"daily-cap:{workspaceId}:{day:yyyyMMdd}", tenantId,
            new Dictionary<string, string> { ["workspace"] = workspaceName, ["cap"] = cap.ToString(Indonesian) }, cancellationToken);

    /// <summary>Sends the event's template to the tenant owner unless an event with this key was already notified.</summary>
    public async Task<NotificationOutcome> NotifyAsync(NotificationEvent evt, string eventKey, Guid tenantId,
        IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        if (await db.NotificationLogs.AnyAsync(n => n.EventKey == eventKey, cancellationToken))
            return NotificationOutcome.AlreadyNotified;

        // The platform's own workspace (the admin connection, its admin broadcasts) has no owner to tell.
        if (await db.Tenants.AnyAsync(t => t.Id == tenantId && t.IsPlatform, cancellationToken))
            return NotificationOutcome.NoRecipient;

        var template = await db.NotificationTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Event == evt, cancellationToken);
        if (template is null || !template.IsActive)
            return NotificationOutcome.TemplateOff;

        var connection = await AdminConnection.FindAsync(db, cancellationToken);
        if (connection is null || !connection.CanSend)
            return NotificationOutcome.NoAdminConnection;

        var tenant = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken);
        var owner = await db.Users.AsNoTracking()
            .Where(u => u.TenantId == tenantId && u.Role == UserRole.Owner && u.IsActive && u.Phone != null && u.Phone != "")
            .OrderBy(u => u.Id).Select(u => new { u.DisplayName, u.Phone }).FirstOrDefaultAsync(cancellationToken);

        var all = new Dictionary<string, string>(values) { ["owner"] = owner?.DisplayName ?? "", ["tenant"] = tenant ?? "" };
        var log = new NotificationLog
        {
            TenantId = tenantId, Event = evt, EventKey = eventKey, Recipient = owner?.Phone ?? "",
            Body = NotificationTemplates.Render(template.Body, all),
            Error = owner is null ? "The tenant has no active owner with a phone number." : null,
        };
        db.NotificationLogs.Add(log);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another run claimed the same key first (the unique index on EventKey decides).
            return NotificationOutcome.AlreadyNotified;
        }
        if (owner is null)
            return NotificationOutcome.NoRecipient;

        try
        {
            await gateway.SendTextAsync(new GatewayTextMessage(connection.SessionName!, owner.Phone!, log.Body), cancellationToken);
            log.Succeeded = true;
        }
        catch (GatewayException ex)
        {
            logger.LogWarning(ex, "Platform notification {EventKey} could not be sent", eventKey);
            log.Error = ex.Message.Length > 1000 ? ex.Message[..1000] : ex.Message;
        }
        await db.SaveChangesAsync(CancellationToken.None);
        return log.Succeeded ? NotificationOutcome.Sent : NotificationOutcome.Failed;
    }

    private static string FormatDate(DateTimeOffset at)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Tenant.DefaultTimeZone);
        return TimeZoneInfo.ConvertTime(at, zone).ToString("d MMM yyyy", Indonesian);
    }
}

public enum NotificationOutcome { Sent, AlreadyNotified, TemplateOff, NoAdminConnection, NoRecipient, Failed }
