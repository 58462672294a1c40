using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>
/// A workspace's recipients in one status, found through its broadcasts: the recipients' (broadcast, status, sequence)
/// index then reads only those rows. No index has recipients by workspace and status, and asked that way SQLite read
/// every recipient of every tenant (its plan: a scan), once per dispatcher run and per echo of our own message.
/// </summary>
public static class RecipientQueries
{
    public static IQueryable<BroadcastRecipient> InStatus(IKelolaDb db, Guid workspaceId, RecipientStatus status)
    {
        var broadcasts = db.Broadcasts.Where(b => b.WorkspaceId == workspaceId).Select(b => b.Id);
        return db.BroadcastRecipients.Where(r => broadcasts.Contains(r.BroadcastId) && r.Status == status);
    }

    /// <summary>The same over several workspaces (of the context's tenant) at once.</summary>
    public static IQueryable<BroadcastRecipient> InStatus(IKelolaDb db, IReadOnlyCollection<Guid> workspaceIds, RecipientStatus status)
    {
        var broadcasts = db.Broadcasts.Where(b => workspaceIds.Contains(b.WorkspaceId)).Select(b => b.Id);
        return db.BroadcastRecipients.Where(r => broadcasts.Contains(r.BroadcastId) && r.Status == status);
    }
}
