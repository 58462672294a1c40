using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Inbox;

/// <summary>
/// The live inbox: chat lists, conversation history, replies, read marks and team work. Every method reads
/// through the scope's tenant-filtered context and the viewer's visibility, so another tenant's (or another
/// agent's) chat id is simply not found. Lists use keyset paging over the indexed sort keys, never OFFSET.
/// </summary>
public sealed partial class InboxService(
    IKelolaDbFactory dbFactory,
    IWhatsAppGateway gateway,
    IAttachmentStore attachmentStore,
    IRealtimeBus bus,
    TimeProvider clock,
    ILogger<InboxService> logger,
    PolicyService policies,
    Instagram.IInstagramMessenger? instagram = null,
    SharedChatPages? sharedPages = null,
    Tenancy.ITenantContext? scopeTenant = null,
    Audit.AuditLog? audit = null)
{
    public const int MessagePageSize = 40;
    public const int MaxMessagePageSize = 200;

    /// <summary>The workspaces whose inbox the viewer may open.</summary>
    public async Task<IReadOnlyList<Guid>> ListWorkspaceIdsAsync(InboxViewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await VisibleWorkspaceIds(db, viewer).ToListAsync(ct);
    }

    /// <summary>A mark for the chat-list read below: a page read from now on is fresh enough.</summary>
    public long MarkChatLists() => sharedPages?.Mark() ?? 0;

    /// <summary>
    /// The page as fresh as <paramref name="mark"/> (<see cref="MarkChatLists"/>, taken when the event to show arrived,
    /// or just now): every open inbox of the same visibility refreshing for one event shares one read.
    /// Owners and managers of a tenant see the same lists; an agent's depends on their workspaces and assignments.
    /// </summary>
    public Task<ChatPage> ListChatsAsync(InboxViewer viewer, ChatListQuery query, long mark, CancellationToken ct = default)
    {
        if (sharedPages is null || scopeTenant is not { TenantId: { } tenantId, IsSystem: false })
            return ListChatsAsync(viewer, query, ct);
        var key = new SharedChatPageKey(tenantId, viewer.SeesEverything && !query.AssignedToMe ? null : viewer.UserId, query);
        return sharedPages.ReadAsync(key, mark, () => ListChatsAsync(viewer, query, CancellationToken.None), ct);
    }

    public async Task<ChatPage> ListChatsAsync(InboxViewer viewer, ChatListQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var workspaces = await db.Workspaces.AsNoTracking()
            .Where(w => VisibleWorkspaceIds(db, viewer).Contains(w.Id))
            .Select(w => new { w.Id, w.TenantId })
            .ToListAsync(ct);
        if (query.WorkspaceId is { } only)
            workspaces = workspaces.Where(w => w.Id == only).ToList();
        if (workspaces.Count == 0)
            return new ChatPage([], null);

        IQueryable<Chat> chats;
        if (workspaces.Count == 1)
        {
            var workspaceId = workspaces[0].Id;
            chats = db.Chats.Where(c => c.WorkspaceId == workspaceId);
        }
        else
        {
            // The explicit tenant equality lets the planner walk the (TenantId, LastMessageAt, Id) index.
            var tenantId = workspaces[0].TenantId;
            var ids = workspaces.Select(w => w.Id).ToList();
            chats = db.Chats.Where(c => c.TenantId == tenantId);
            if (!viewer.SeesEverything)
                chats = chats.Where(c => ids.Contains(c.WorkspaceId));
        }
        // Chats only a broadcast made stay out of every list until the customer replies (docs/adr/0021).
        chats = Filter(db, viewer, chats.Where(c => !c.BroadcastOnly), query);

        if (query.After is { } after)
            chats = chats.Where(c => c.LastMessageAt < after.LastMessageAt
                                     || (c.LastMessageAt == after.LastMessageAt && c.Id.CompareTo(after.Id) < 0));
        // Last, so the search counts its hits among the chats this page can still show.
        chats = await ChatSearch.ApplyAsync(db, chats, query.Search, ct);

        var size = Math.Clamp(query.PageSize, 1, ChatListQuery.MaxPageSize);
        var rows = await chats.AsNoTracking()
            .OrderByDescending(c => c.LastMessageAt).ThenByDescending(c => c.Id)
            .Take(size + 1)
            .Select(c => new ChatListItem(c.Id, c.WorkspaceId, c.Channel, c.DisplayName, c.PhoneNumber, c.LastMessagePreview,
                c.LastMessageAt, c.UnreadCount, c.AssignedUserId) { Resolved = c.ResolvedAt != null })
            .ToListAsync(ct);
        var more = rows.Count > size;
        if (more)
            rows.RemoveAt(size);
        rows = await WithAssigneesAndLabelsAsync(db, rows, ct);
        return new ChatPage(rows, more ? rows[^1].Cursor : null);
    }

    /// <summary>
    /// The list rows show who holds each chat and its labels: two small keyed queries per page (the page's chat ids,
    /// its distinct assignees) instead of a join that would multiply rows and break the keyset sort.
    /// </summary>
    private static async Task<List<ChatListItem>> WithAssigneesAndLabelsAsync(IKelolaDb db, List<ChatListItem> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
            return rows;
        var chatIds = rows.Select(r => r.Id).ToList();
        var labels = (await (from cl in db.ChatLabels
                             join l in db.Labels on cl.LabelId equals l.Id
                             where chatIds.Contains(cl.ChatId)
                             select new { cl.ChatId, Label = new LabelView(l.Id, l.Name, l.Color) }).AsNoTracking().ToListAsync(ct))
            .ToLookup(x => x.ChatId, x => x.Label);
        var userIds = rows.Where(r => r.AssignedUserId is not null).Select(r => r.AssignedUserId!.Value).Distinct().ToList();
        var names = userIds.Count == 0
            ? new Dictionary<Guid, string>()
            : await db.Users.Where(u => userIds.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return rows.Select(r => r with
        {
            AssignedUserName = r.AssignedUserId is { } id ? names.GetValueOrDefault(id) : null,
            Labels = labels[r.Id].OrderBy(l => l.Name, StringComparer.CurrentCultureIgnoreCase).ToList(),
        }).ToList();
    }

    public async Task<ChatDetail?> GetChatAsync(InboxViewer viewer, Guid chatId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var row = await VisibleChats(db, viewer).AsNoTracking()
            .Where(c => c.Id == chatId)
            .Select(c => new
            {
                Item = new ChatListItem(c.Id, c.WorkspaceId, c.Channel, c.DisplayName, c.PhoneNumber, c.LastMessagePreview,
                    c.LastMessageAt, c.UnreadCount, c.AssignedUserId) { Resolved = c.ResolvedAt != null },
                Workspace = db.Workspaces.Where(w => w.Id == c.WorkspaceId).Select(w => w.Name).FirstOrDefault(),
                Assigned = db.Users.Where(u => u.Id == c.AssignedUserId).Select(u => u.DisplayName).FirstOrDefault(),
                c.BotPaused,
                c.LastInboundAt,
                c.ResolvedAt,
                ResolvedBy = db.Users.Where(u => u.Id == c.ResolvedByUserId).Select(u => u.DisplayName).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        if (row is null)
            return null;

        var labels = await (from cl in db.ChatLabels
                            join l in db.Labels on cl.LabelId equals l.Id
                            where cl.ChatId == chatId
                            orderby l.Name
                            select new LabelView(l.Id, l.Name, l.Color)).ToListAsync(ct);
        return new ChatDetail(row.Item, row.Workspace ?? "", row.Assigned, labels, row.BotPaused) {
            LastInboundAt = row.LastInboundAt,
            ResolvedAt = row.ResolvedAt,
            ResolvedByName = row.ResolvedBy,
        };
    }

    /// <summary>A page of history, newest first in the database (the (ChatId, SentAt, Id) index), returned oldest first.</summary>
    public async Task<MessagePage> GetMessagesAsync(InboxViewer viewer, Guid chatId, MessageCursor? before = null,
        int pageSize = MessagePageSize, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        await EnsureVisibleAsync(db, viewer, chatId, ct);

        var messages = db.Messages.Where(m => m.ChatId == chatId);
        if (before is { } b)
            messages = messages.Where(m => m.SentAt < b.SentAt || (m.SentAt == b.SentAt && m.Id.CompareTo(b.Id) < 0));
        var size = Math.Clamp(pageSize, 1, MaxMessagePageSize);
        var page = messages.OrderByDescending(m => m.SentAt).ThenByDescending(m => m.Id).Take(size + 1);
        var rows = OldestFirst(await Project(db, page).ToListAsync(ct));
        return rows.Count > size ? new MessagePage(rows[1..], rows[1].Cursor) : new MessagePage(rows, null);
    }

    /// <summary>Messages newer than <paramref name="after"/>, oldest first: what an open conversation appends on a realtime event.</summary>
    public async Task<IReadOnlyList<MessageView>> GetMessagesAfterAsync(InboxViewer viewer, Guid chatId, MessageCursor after,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        await EnsureVisibleAsync(db, viewer, chatId, ct);
        var page = db.Messages
            .Where(m => m.ChatId == chatId && (m.SentAt > after.SentAt || (m.SentAt == after.SentAt && m.Id.CompareTo(after.Id) > 0)))
            .OrderBy(m => m.SentAt).ThenBy(m => m.Id)
            .Take(MaxMessagePageSize);
        return OldestFirst(await Project(db, page).ToListAsync(ct));
    }

    /// <summary>The current state of some messages of one chat (ticks changed).</summary>
    public async Task<IReadOnlyList<MessageView>> GetMessagesByIdAsync(InboxViewer viewer, Guid chatId, IReadOnlyCollection<Guid> ids,
        CancellationToken ct = default)
    {
        if (ids.Count == 0)
            return [];
        await using var db = await dbFactory.CreateAsync(ct);
        await EnsureVisibleAsync(db, viewer, chatId, ct);
        var list = ids.ToList();
        return await Project(db, db.Messages.Where(m => m.ChatId == chatId && list.Contains(m.Id))).ToListAsync(ct);
    }

    /// <summary>
    /// An attachment the viewer may download, or null: its workspace is one they may see and, when it was sent in a
    /// chat, that chat is one they may open (the inbox's own rule, <see cref="VisibleChats"/>): an agent gets no file
    /// of a chat assigned to someone else.
    /// </summary>
    public async Task<Attachment?> FindAttachmentAsync(InboxViewer viewer, Guid attachmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var attachments = db.Attachments.AsNoTracking()
            .Where(a => a.Id == attachmentId && VisibleWorkspaceIds(db, viewer).Contains(a.WorkspaceId));
        if (!viewer.SeesEverything)
        {
            var carriers = db.Messages.Where(m => m.AttachmentId == attachmentId);
            attachments = attachments.Where(a => !carriers.Any() || carriers.Any(m => VisibleChats(db, viewer).Any(c => c.Id == m.ChatId)));
        }
        return await attachments.FirstOrDefaultAsync(ct);
    }

    private static IQueryable<Chat> Filter(IKelolaDb db, InboxViewer viewer, IQueryable<Chat> chats, ChatListQuery query)
    {
        if (!viewer.SeesEverything)
            chats = chats.Where(c => c.AssignedUserId == null || c.AssignedUserId == viewer.UserId);
        // The open chats are the team's queue; a search looks through the resolved ones too (finding an old conversation).
        if (query.Resolved)
            chats = chats.Where(c => c.ResolvedAt != null);
        else if (string.IsNullOrWhiteSpace(query.Search))
            chats = chats.Where(c => c.ResolvedAt == null);
        if (query.UnreadOnly)
            chats = chats.Where(c => c.UnreadCount > 0);
        if (query.AssignedToMe)
            chats = chats.Where(c => c.AssignedUserId == viewer.UserId);
        if (query.UnassignedOnly)
            chats = chats.Where(c => c.AssignedUserId == null);
        if (query.LabelId is { } labelId)
            chats = chats.Where(c => db.ChatLabels.Any(l => l.ChatId == c.Id && l.LabelId == labelId));
        return chats;
    }

    private static IQueryable<Guid> VisibleWorkspaceIds(IKelolaDb db, InboxViewer viewer) =>
        viewer.SeesEverything
            ? db.Workspaces.Select(w => w.Id)
            : db.WorkspaceMembers.Where(m => m.UserId == viewer.UserId && db.Workspaces.Any(w => w.Id == m.WorkspaceId)).Select(m => m.WorkspaceId);

    private static IQueryable<Chat> VisibleChats(IKelolaDb db, InboxViewer viewer)
    {
        var chats = db.Chats.Where(c => VisibleWorkspaceIds(db, viewer).Contains(c.WorkspaceId));
        return viewer.SeesEverything ? chats : chats.Where(c => c.AssignedUserId == null || c.AssignedUserId == viewer.UserId);
    }

    private static async Task EnsureVisibleAsync(IKelolaDb db, InboxViewer viewer, Guid chatId, CancellationToken ct)
    {
        if (!await VisibleChats(db, viewer).AnyAsync(c => c.Id == chatId, ct))
            throw new ChatNotFoundException(chatId);
    }

    private static IQueryable<MessageView> Project(IKelolaDb db, IQueryable<Message> messages) =>
        from m in messages
        join a in db.Attachments on m.AttachmentId equals a.Id into attached
        from a in attached.DefaultIfEmpty()
        select new MessageView(m.Id, m.ChatId, m.Direction, m.Origin, m.SenderName, m.Body, m.Status, m.Error, m.SentAt,
            a == null ? null : new AttachmentView(a.Id, a.OriginalFileName, a.MimeType, a.SizeBytes, a.Kind));

    private static List<MessageView> OldestFirst(List<MessageView> rows) =>
        rows.OrderBy(m => m.SentAt).ThenBy(m => m.Id).ToList();
}
