using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Inbox;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Privacy;

/// <summary>
/// Removes data for good, in dependency order with ExecuteDelete/ExecuteUpdate (no foreign key cascades from
/// Workspace, so children go explicitly), attachment files included. What is removed and what is anonymised is
/// written in docs/privacy-map.md; this class is the one place that does it, for deletion requests and the
/// retention purge alike. Works on a tenant context (deletion) or the system context (purge).
/// </summary>
public sealed class DataEraser(IAttachmentStore attachments)
{
    /// <summary>The Data layer's soft-delete filter name: erasing must see rows already marked deleted.</summary>
    public const string SoftDeleteFilter = "SoftDelete";

    private static IQueryable<T> All<T>(DbSet<T> set) where T : class => set.IgnoreQueryFilters([SoftDeleteFilter]);

    /// <summary>
    /// Contacts with their chats (by contact or by the same number in the workspace), messages and attachment files,
    /// field values, labels, list memberships and sequence enrolments. Broadcast recipients are anonymised (status kept
    /// for the broadcast's statistics); validation entries of the number are anonymised (the job's counts stay).
    /// </summary>
    public async Task<int> EraseContactsAsync(IKelolaDb db, IReadOnlyCollection<Guid> contactIds, CancellationToken ct)
    {
        if (contactIds.Count == 0)
            return 0;
        var contacts = await All(db.Contacts).Where(c => contactIds.Contains(c.Id))
            .Select(c => new { c.Id, c.WorkspaceId, c.Phone }).ToListAsync(ct);
        foreach (var contact in contacts)
        {
            var chatIds = await All(db.Chats)
                .Where(c => c.ContactId == contact.Id || (c.WorkspaceId == contact.WorkspaceId && c.PhoneNumber == contact.Phone))
                .Select(c => c.Id).ToListAsync(ct);
            await EraseChatsAsync(db, chatIds, ct);
            await db.BroadcastRecipients.Where(r => r.ContactId == contact.Id || (r.WorkspaceId == contact.WorkspaceId && r.Phone == contact.Phone))
                // (BroadcastId, Phone) is unique: the blanked phone becomes "#<sequence>", which names nobody.
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Phone, r => AnonymisedPhonePrefix + r.Sequence.ToString()).SetProperty(r => r.Name, (string?)null)
                    .SetProperty(r => r.RenderedText, "").SetProperty(r => r.ContactId, (Guid?)null).SetProperty(r => r.Error, (string?)null), ct);
            await db.ValidationEntries.Where(e => e.WorkspaceId == contact.WorkspaceId && e.NormalizedNumber == contact.Phone)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.RawInput, "").SetProperty(e => e.NormalizedNumber, (string?)null), ct);
            await db.NumberChecks.Where(n => n.WorkspaceId == contact.WorkspaceId && n.Phone == contact.Phone).ExecuteDeleteAsync(ct);
            await db.LidMappings.Where(m => m.WorkspaceId == contact.WorkspaceId && m.PhoneNumber == contact.Phone).ExecuteDeleteAsync(ct);
        }
        var ids = contacts.Select(c => c.Id).ToList();
        await db.ContactFieldValues.Where(v => ids.Contains(v.ContactId)).ExecuteDeleteAsync(ct);
        await db.ContactLabels.Where(l => ids.Contains(l.ContactId)).ExecuteDeleteAsync(ct);
        await db.ContactListMembers.Where(m => ids.Contains(m.ContactId)).ExecuteDeleteAsync(ct);
        await db.SequenceEnrollments.Where(e => ids.Contains(e.ContactId)).ExecuteDeleteAsync(ct);
        return await All(db.Contacts).Where(c => ids.Contains(c.Id)).ExecuteDeleteAsync(ct);
    }

    /// <summary>Chats with their messages, the messages' attachment files, chat labels and bot replies.</summary>
    public async Task<int> EraseChatsAsync(IKelolaDb db, IReadOnlyCollection<Guid> chatIds, CancellationToken ct)
    {
        if (chatIds.Count == 0)
            return 0;
        var ids = chatIds.ToList();
        var attachmentIds = await db.Messages.Where(m => ids.Contains(m.ChatId) && m.AttachmentId != null)
            .Select(m => m.AttachmentId!.Value).ToListAsync(ct);
        await EraseAttachmentsAsync(db, attachmentIds, ct);
        await db.BotReplies.Where(r => ids.Contains(r.ChatId)).ExecuteDeleteAsync(ct);
        await db.ChatLabels.Where(l => ids.Contains(l.ChatId)).ExecuteDeleteAsync(ct);
        await db.Messages.Where(m => ids.Contains(m.ChatId)).ExecuteDeleteAsync(ct);
        // The workspaces' stored unread counters hold what these chats had unread: taken off with them, or owners' and
        // managers' badges would count messages nobody can open any more, for good (QA).
        var unread = await All(db.Chats).Where(c => ids.Contains(c.Id) && c.UnreadCount > 0).GroupBy(c => c.WorkspaceId)
            .Select(g => new { WorkspaceId = g.Key, Chats = g.Count(), Messages = g.Sum(c => c.UnreadCount) }).ToListAsync(ct);
        foreach (var held in unread)
            await All(db.Workspaces).Where(w => w.Id == held.WorkspaceId).ExecuteUpdateAsync(s => s
                .SetProperty(w => w.UnreadChats, w => w.UnreadChats > held.Chats ? w.UnreadChats - held.Chats : 0)
                .SetProperty(w => w.UnreadMessages, w => w.UnreadMessages > held.Messages ? w.UnreadMessages - held.Messages : 0), ct);
        return await All(db.Chats).Where(c => ids.Contains(c.Id)).ExecuteDeleteAsync(ct);
    }

    /// <summary>Attachment rows and their stored bytes; files first, so a failed file delete leaves the row to retry.</summary>
    public async Task<int> EraseAttachmentsAsync(IKelolaDb db, IReadOnlyCollection<Guid> attachmentIds, CancellationToken ct)
    {
        if (attachmentIds.Count == 0)
            return 0;
        var ids = attachmentIds.Distinct().ToList();
        var keys = await All(db.Attachments).Where(a => ids.Contains(a.Id)).Select(a => a.StorageKey).ToListAsync(ct);
        foreach (var key in keys.Where(k => k.Length > 0))
            await attachments.DeleteAsync(key, ct);
        return await All(db.Attachments).Where(a => ids.Contains(a.Id)).ExecuteDeleteAsync(ct);
    }

    /// <summary>Instagram data of a workspace: account (token included), media, comments, automations and replies, Instagram chats.</summary>
    public async Task EraseInstagramAsync(IKelolaDb db, Guid workspaceId, CancellationToken ct)
    {
        var chatIds = await All(db.Chats).Where(c => c.WorkspaceId == workspaceId && c.Channel == Channel.Instagram).Select(c => c.Id).ToListAsync(ct);
        await EraseChatsAsync(db, chatIds, ct);
        await db.CommentReplies.Where(r => r.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await All(db.CommentAutomations).Where(a => a.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await db.InstagramComments.Where(c => c.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await db.InstagramMedia.Where(m => m.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await db.InstagramAccounts.Where(a => a.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
    }

    /// <summary>
    /// One Instagram user, wherever they appear (Meta's data deletion and deauthorize callbacks; run on the system context,
    /// since Meta names a user, not a tenant). When the id is a connected account's own, that workspace's Instagram data
    /// goes as in <see cref="EraseInstagramAsync"/>. As a commenter or customer: their comments and the replies to them,
    /// their Instagram chats with messages, and the raw Instagram webhook rows that carry their id.
    /// </summary>
    public async Task EraseInstagramUserAsync(IKelolaDb db, string instagramUserId, CancellationToken ct)
    {
        var ownWorkspaces = await db.InstagramAccounts.Where(a => a.InstagramUserId == instagramUserId).Select(a => a.WorkspaceId).ToListAsync(ct);
        foreach (var workspaceId in ownWorkspaces)
            await EraseInstagramAsync(db, workspaceId, ct);

        var commentIds = await db.InstagramComments.Where(c => c.CommenterId == instagramUserId).Select(c => c.CommentId).ToListAsync(ct);
        await db.CommentReplies.Where(r => commentIds.Contains(r.CommentId)).ExecuteDeleteAsync(ct);
        await db.InstagramComments.Where(c => c.CommenterId == instagramUserId).ExecuteDeleteAsync(ct);
        var chatIds = await All(db.Chats).Where(c => c.Channel == Channel.Instagram && c.ExternalChatId == instagramUserId).Select(c => c.Id).ToListAsync(ct);
        await EraseChatsAsync(db, chatIds, ct);

        // Ids are JSON strings in Meta's payloads: the quoted id matches that id only, never a longer one containing it.
        // Unprocessed rows go too: processed later, they would bring the data back.
        var quoted = "\"" + instagramUserId + "\"";
        await db.InboundWebhookEvents.Where(e => e.Source == Webhooks.WebhookSource.Instagram && e.Payload.Contains(quoted)).ExecuteDeleteAsync(ct);
    }

    /// <summary>Everything a workspace owns, children before parents, then the workspace row itself.</summary>
    public async Task EraseWorkspaceAsync(IKelolaDb db, Guid workspaceId, CancellationToken ct)
    {
        var attachmentIds = await All(db.Attachments).Where(a => a.WorkspaceId == workspaceId).Select(a => a.Id).ToListAsync(ct);
        await EraseAttachmentsAsync(db, attachmentIds, ct);
        await EraseInstagramAsync(db, workspaceId, ct);

        await db.BotReplies.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await db.BotKeywords.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await All(db.BotRules).Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await db.BotSettings.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);

        await db.BroadcastRecipients.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await All(db.Broadcasts).Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await db.SequenceEnrollments.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await db.SequenceSteps.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await All(db.Sequences).Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await db.SendBudgets.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);

        await db.ChatLabels.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await db.Messages.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await All(db.Chats).Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);

        await db.ContactFieldValues.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await db.ContactLabels.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await db.ContactListMembers.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await All(db.Contacts).Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await db.ContactLists.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await db.Labels.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await db.ContactImportErrors.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await db.ContactImports.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await db.Segments.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);

        await db.ValidationEntries.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await db.ValidationJobs.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await db.NumberChecks.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);

        await db.QuickReplies.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await db.LidMappings.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await db.WorkspaceEvents.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await db.WorkspaceMembers.Where(x => x.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);

        var exports = await db.DataExports.Where(x => x.WorkspaceId == workspaceId).Select(x => x.Id).ToListAsync(ct);
        await EraseExportsAsync(db, exports, ct);
        await All(db.Workspaces).Where(w => w.Id == workspaceId).ExecuteDeleteAsync(ct);
    }

    /// <summary>Every workspace of the tenant and its tenant-wide rows; users removed; audit entries keep the action, names anonymised.</summary>
    public async Task EraseTenantAsync(IKelolaDb db, Guid tenantId, CancellationToken ct)
    {
        var workspaces = await All(db.Workspaces).Where(w => w.TenantId == tenantId).Select(w => w.Id).ToListAsync(ct);
        foreach (var workspaceId in workspaces)
            await EraseWorkspaceAsync(db, workspaceId, ct);
        await db.CustomFields.Where(x => x.TenantId == tenantId).ExecuteDeleteAsync(ct);
        await db.WebhookDeliveries.Where(x => x.TenantId == tenantId).ExecuteDeleteAsync(ct);
        await db.WebhookSubscriptions.Where(x => x.TenantId == tenantId).ExecuteDeleteAsync(ct);
        await db.ApiIdempotencyRecords.Where(x => x.TenantId == tenantId).ExecuteDeleteAsync(ct);
        await db.ApiKeys.Where(x => x.TenantId == tenantId).ExecuteDeleteAsync(ct);
        var exports = await db.DataExports.Where(x => x.TenantId == tenantId).Select(x => x.Id).ToListAsync(ct);
        await EraseExportsAsync(db, exports, ct);
        await db.AuditEntries.Where(a => a.TenantId == tenantId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ActorName, AnonymisedName).SetProperty(a => a.IpAddress, (string?)null)
                .SetProperty(a => a.Details, (string?)null), ct);
        await db.Users.Where(u => u.TenantId == tenantId).ExecuteDeleteAsync(ct);
    }

    public const string AnonymisedName = "(dihapus)";
    public const string AnonymisedPhonePrefix = "#";

    /// <summary>Export files and rows.</summary>
    public async Task<int> EraseExportsAsync(IKelolaDb db, IReadOnlyCollection<Guid> exportIds, CancellationToken ct)
    {
        if (exportIds.Count == 0)
            return 0;
        var ids = exportIds.ToList();
        var keys = await db.DataExports.Where(x => ids.Contains(x.Id) && x.StorageKey != null).Select(x => x.StorageKey!).ToListAsync(ct);
        foreach (var key in keys)
            await attachments.DeleteAsync(key, ct);
        return await db.DataExports.Where(x => ids.Contains(x.Id)).ExecuteDeleteAsync(ct);
    }
}
