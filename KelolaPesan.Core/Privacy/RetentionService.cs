using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KelolaPesan.Core.Privacy;

public sealed record RetentionResult(int Tenants, int Workspaces, int Contacts, int Chats, int Attachments, int Broadcasts, int Sequences,
    int BotRules, int CommentAutomations, int WebhookPayloads, int ErrorLogs, int Exports, int IdempotencyRecords)
{
    public int Total => Tenants + Workspaces + Contacts + Chats + Attachments + Broadcasts + Sequences + BotRules + CommentAutomations
        + WebhookPayloads + ErrorLogs + Exports + IdempotencyRecords;
}

/// <summary>
/// Purges, across every tenant, what is past its retention period (<see cref="RetentionOptions"/>): rows marked
/// deleted, processed raw webhook payloads, workspace error records, expired exports (file and row) and API idempotency records.
/// Children go with their parents through <see cref="DataEraser"/>, exactly as an owner's deletion does.
/// </summary>
public sealed class RetentionService(IKelolaDbFactory dbFactory, DataEraser eraser, AuditLog audit, TimeProvider clock, IOptions<PrivacyOptions> options)
{
    public async Task<RetentionResult> PurgeAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var retention = options.Value.Retention;
        var deletedBefore = now.AddDays(-retention.SoftDeletedDays);
        await using var db = dbFactory.CreateSystem();

        var tenants = await Deleted(db.Tenants, deletedBefore).Select(t => t.Id).ToListAsync(ct);
        foreach (var tenantId in tenants)
        {
            await eraser.EraseTenantAsync(db, tenantId, ct);
            await All(db.Tenants).Where(t => t.Id == tenantId).ExecuteDeleteAsync(ct);
        }
        var workspaces = await Deleted(db.Workspaces, deletedBefore).Select(w => w.Id).ToListAsync(ct);
        foreach (var workspaceId in workspaces)
            await eraser.EraseWorkspaceAsync(db, workspaceId, ct);

        var contacts = await eraser.EraseContactsAsync(db, await Deleted(db.Contacts, deletedBefore).Select(c => c.Id).ToListAsync(ct), ct);
        var chats = await eraser.EraseChatsAsync(db, await Deleted(db.Chats, deletedBefore).Select(c => c.Id).ToListAsync(ct), ct);
        var attachments = await eraser.EraseAttachmentsAsync(db, await Deleted(db.Attachments, deletedBefore).Select(a => a.Id).ToListAsync(ct), ct);

        var broadcastIds = await Deleted(db.Broadcasts, deletedBefore).Select(b => b.Id).ToListAsync(ct);
        await db.BroadcastRecipients.Where(r => broadcastIds.Contains(r.BroadcastId)).ExecuteDeleteAsync(ct);
        var broadcasts = await All(db.Broadcasts).Where(b => broadcastIds.Contains(b.Id)).ExecuteDeleteAsync(ct);

        var sequenceIds = await Deleted(db.Sequences, deletedBefore).Select(s => s.Id).ToListAsync(ct);
        await db.SequenceEnrollments.Where(e => sequenceIds.Contains(e.SequenceId)).ExecuteDeleteAsync(ct);
        await db.SequenceSteps.Where(s => sequenceIds.Contains(s.SequenceId)).ExecuteDeleteAsync(ct);
        var sequences = await All(db.Sequences).Where(s => sequenceIds.Contains(s.Id)).ExecuteDeleteAsync(ct);

        var ruleIds = await Deleted(db.BotRules, deletedBefore).Select(r => r.Id).ToListAsync(ct);
        await db.BotKeywords.Where(k => ruleIds.Contains(k.RuleId)).ExecuteDeleteAsync(ct);
        var rules = await All(db.BotRules).Where(r => ruleIds.Contains(r.Id)).ExecuteDeleteAsync(ct);

        var automationIds = await Deleted(db.CommentAutomations, deletedBefore).Select(a => a.Id).ToListAsync(ct);
        await db.CommentReplies.Where(r => automationIds.Contains(r.AutomationId)).ExecuteDeleteAsync(ct);
        var automations = await All(db.CommentAutomations).Where(a => automationIds.Contains(a.Id)).ExecuteDeleteAsync(ct);

        var payloadsBefore = now.AddDays(-retention.WebhookPayloadDays);
        // Rows never processed (malformed, orphan acks, given up) carry customer content too: received before the period, they go as well.
        var payloads = await db.InboundWebhookEvents
            .Where(e => (e.ProcessedAt != null && e.ProcessedAt < payloadsBefore) || (e.ProcessedAt == null && e.ReceivedAt < payloadsBefore))
            .ExecuteDeleteAsync(ct);
        var errorsBefore = now.AddDays(-retention.ErrorLogDays);
        var errors = await db.WorkspaceEvents.Where(e => e.At < errorsBefore).ExecuteDeleteAsync(ct);
        var exports = await eraser.EraseExportsAsync(db,
            await db.DataExports.Where(e => e.ExpiresAt != null && e.ExpiresAt <= now).Select(e => e.Id).ToListAsync(ct), ct);
        var idempotencyBefore = now.AddHours(-retention.IdempotencyRecordHours);
        var idempotency = await db.ApiIdempotencyRecords.Where(r => r.CreatedAt < idempotencyBefore).ExecuteDeleteAsync(ct);

        var result = new RetentionResult(tenants.Count, workspaces.Count, contacts, chats, attachments, broadcasts, sequences, rules, automations,
            payloads, errors, exports, idempotency);
        if (result.Total > 0)
            await audit.WriteAsync(PrivacyAuditActions.RetentionPurged, AuditActor.System, details: result.ToString(), cancellationToken: ct);
        return result;
    }

    private static IQueryable<T> All<T>(DbSet<T> set) where T : class => set.IgnoreQueryFilters([DataEraser.SoftDeleteFilter]);

    private static IQueryable<T> Deleted<T>(DbSet<T> set, DateTimeOffset before) where T : class, ISoftDeletable =>
        All(set).Where(x => x.DeletedAt != null && x.DeletedAt < before);
}
