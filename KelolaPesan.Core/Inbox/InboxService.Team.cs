using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Realtime;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Inbox;

public sealed partial class InboxService
{
    /// <summary>The people a chat of this workspace may be assigned to: its agents, and the owners and managers.</summary>
    public async Task<IReadOnlyList<AssignableUser>> ListAssignableUsersAsync(InboxViewer viewer, Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        if (!await VisibleWorkspaceIds(db, viewer).ContainsAsync(workspaceId, ct))
            return [];
        return await AssignableUsers(db, workspaceId).OrderBy(u => u.DisplayName)
            .Select(u => new AssignableUser(u.Id, u.DisplayName)).ToListAsync(ct);
    }

    /// <summary>Assigns the chat (null unassigns). An agent who assigns a chat to someone else stops seeing it.</summary>
    public async Task AssignAsync(InboxViewer viewer, Guid chatId, Guid? userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var chat = await VisibleChats(db, viewer).FirstOrDefaultAsync(c => c.Id == chatId, ct) ?? throw new ChatNotFoundException(chatId);
        if (userId is { } target && !await AssignableUsers(db, chat.WorkspaceId).AnyAsync(u => u.Id == target, ct))
            throw new ArgumentException("The user cannot work in this workspace.", nameof(userId));
        chat.AssignedUserId = userId;
        await db.SaveChangesAsync(ct);
        await PublishChatChangedAsync(chat);
        // An agent's badges count their chats and unassigned ones: an unread chat changing hands moves theirs.
        if (chat.UnreadCount > 0)
            await bus.PublishAsync(Topics.Tenant(chat.TenantId), await UnreadCountEvents.ReadAsync(db, chat.TenantId, chat.WorkspaceId, logger, ct));
    }

    /// <summary>
    /// Marks the conversation done (<paramref name="resolved"/>) or opens it again. A resolved chat leaves the open list
    /// for the resolved one; the customer's next message, or a reply, opens it again by itself. Both are in the audit log.
    /// </summary>
    /// <param name="seenUpTo">
    /// The newest message the viewer's page showed (null: it showed none). Resolving is refused
    /// (<see cref="ResolveOutcome.NewMessage"/>) when a customer message came after it: one that arrived just before the
    /// click would otherwise be buried in the resolved list unread. Reopening ignores it.
    /// </param>
    public async Task<ResolveOutcome> SetResolvedAsync(InboxViewer viewer, Guid chatId, bool resolved, MessageCursor? seenUpTo = null,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var (chat, actorName) = await ChatToActInAsync(db, viewer, chatId, ct);
        if ((chat.ResolvedAt is not null) == resolved)
            return ResolveOutcome.Unchanged;
        var now = clock.GetUtcNow();
        if (resolved)
        {
            // One conditional UPDATE, so a message stored between a check and a write cannot slip under it. The chat's own
            // last inbound time is in the condition as well as the messages: on PostgreSQL an UPDATE that waited for the
            // webhook's lock on the row re-reads the row, not the subquery (whose snapshot is older than that message).
            // Without a cursor only the messages count: a chat whose history retention purged keeps its last inbound time.
            var seenAt = seenUpTo?.SentAt;
            var seenId = seenUpTo?.Id ?? Guid.Empty;
            var unseen = db.Messages.Where(m => m.ChatId == chatId && m.Direction == MessageDirection.Inbound);
            if (seenUpTo is not null)
                unseen = unseen.Where(m => m.SentAt > seenAt || (m.SentAt == seenAt && m.Id.CompareTo(seenId) > 0));
            var changed = await db.Chats
                .Where(c => c.Id == chatId && c.ResolvedAt == null && (seenAt == null || c.LastInboundAt == null || c.LastInboundAt <= seenAt))
                .Where(c => !unseen.Any())
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.ResolvedAt, now).SetProperty(c => c.ResolvedByUserId, viewer.UserId)
                    .SetProperty(c => c.UpdatedAt, now), ct);
            if (changed == 0)
                return await unseen.AnyAsync(ct) || await db.Chats.AnyAsync(c => c.Id == chatId && c.ResolvedAt == null, ct)
                    ? ResolveOutcome.NewMessage : ResolveOutcome.Unchanged;
            (chat.ResolvedAt, chat.ResolvedByUserId) = (now, viewer.UserId);
        }
        else
        {
            (chat.ResolvedAt, chat.ResolvedByUserId) = (null, null);
            await db.SaveChangesAsync(ct);
        }
        await bus.PublishAsync(Topics.Workspace(chat.WorkspaceId), new ChatChanged(chat.TenantId, chat.WorkspaceId, chat.Id) { Resolved = resolved });
        await AuditResolvedAsync(db, chat, viewer.UserId, actorName, resolved ? InboxAuditActions.ChatResolved : InboxAuditActions.ChatReopened, null, ct);
        return ResolveOutcome.Done;
    }

    /// <summary>The entry names the workspace, not the customer: a contact's erasure does not reach the audit log.</summary>
    private async Task AuditResolvedAsync(IKelolaDb db, Chat chat, Guid userId, string actorName, string action, string? via, CancellationToken ct)
    {
        if (audit is null)
            return;
        var workspace = await db.Workspaces.Where(w => w.Id == chat.WorkspaceId).Select(w => w.Name).FirstOrDefaultAsync(ct) ?? "";
        await audit.WriteAsync(action, new AuditActor(AuditActorType.User, userId, actorName), chat.TenantId, ChatAuditDetails.TargetType,
            chat.Id.ToString(), ChatAuditDetails.Of(workspace, via), ct);
    }

    public async Task<IReadOnlyList<LabelView>> ListLabelsAsync(InboxViewer viewer, Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.Labels.AsNoTracking()
            .Where(l => l.WorkspaceId == workspaceId && VisibleWorkspaceIds(db, viewer).Contains(l.WorkspaceId))
            .OrderBy(l => l.Name).Select(l => new LabelView(l.Id, l.Name, l.Color)).ToListAsync(ct);
    }

    /// <summary>Puts a label on the chat, creating the workspace's label of that name when there is none yet.</summary>
    public async Task<LabelView> AddLabelAsync(InboxViewer viewer, Guid chatId, string name, CancellationToken ct = default)
    {
        name = (name ?? "").Trim();
        if (name.Length is 0 or > Label.NameMaxLength)
            throw new ArgumentException($"A label name has 1 to {Label.NameMaxLength} characters.", nameof(name));
        await using var db = await dbFactory.CreateAsync(ct);
        var chat = await VisibleChats(db, viewer).AsNoTracking().FirstOrDefaultAsync(c => c.Id == chatId, ct) ?? throw new ChatNotFoundException(chatId);
        var normalized = NormalizedText.Of(name);
        var label = await db.Labels.FirstOrDefaultAsync(l => l.WorkspaceId == chat.WorkspaceId && l.NormalizedName == normalized, ct);
        if (label is null)
        {
            label = new Label { TenantId = chat.TenantId, WorkspaceId = chat.WorkspaceId, Name = name };
            db.Labels.Add(label);
        }
        if (!await db.ChatLabels.AnyAsync(cl => cl.ChatId == chatId && cl.LabelId == label.Id, ct))
            db.ChatLabels.Add(new ChatLabel { TenantId = chat.TenantId, WorkspaceId = chat.WorkspaceId, ChatId = chatId, LabelId = label.Id });
        await db.SaveChangesAsync(ct);
        await PublishChatChangedAsync(chat);
        return new LabelView(label.Id, label.Name, label.Color);
    }

    public async Task RemoveLabelAsync(InboxViewer viewer, Guid chatId, Guid labelId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var chat = await VisibleChats(db, viewer).AsNoTracking().FirstOrDefaultAsync(c => c.Id == chatId, ct) ?? throw new ChatNotFoundException(chatId);
        await db.ChatLabels.Where(cl => cl.ChatId == chatId && cl.LabelId == labelId).ExecuteDeleteAsync(ct);
        await PublishChatChangedAsync(chat);
    }

    private static IQueryable<AppUser> AssignableUsers(IKelolaDb db, Guid workspaceId) =>
        db.Users.Where(u => u.IsActive && (u.Role == UserRole.Owner || u.Role == UserRole.Manager
                                           || db.WorkspaceMembers.Any(m => m.WorkspaceId == workspaceId && m.UserId == u.Id)));

    private Task PublishChatChangedAsync(Chat chat) =>
        bus.PublishAsync(Topics.Workspace(chat.WorkspaceId), new ChatChanged(chat.TenantId, chat.WorkspaceId, chat.Id));
}
