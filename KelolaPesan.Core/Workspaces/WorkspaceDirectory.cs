using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Workspaces;

/// <summary>
/// The workspaces a user may open, with the unread counts the user's inbox shows: agents their assigned ones, owners and
/// managers all of the tenant's.
/// </summary>
public sealed class WorkspaceDirectory(IKelolaDbFactory dbFactory)
{
    public async Task<IReadOnlyList<WorkspaceSummary>> ListForUserAsync(Guid userId, UserRole role, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var workspaces = db.Workspaces.AsNoTracking();
        if (role != UserRole.Agent)
            return await workspaces
                .OrderBy(w => w.Name)
                .Select(w => new WorkspaceSummary(w.Id, w.Name, w.Label, w.ConnectionStatus, w.PhoneNumber, w.UnreadChats, w.UnreadMessages))
                .ToListAsync(cancellationToken);

        // An agent's badges count what their inbox shows (their chats and unassigned ones), not the workspace's stored
        // counters, which include chats held by others: read from the chats themselves.
        return await workspaces
            .Where(w => db.WorkspaceMembers.Any(m => m.WorkspaceId == w.Id && m.UserId == userId))
            .OrderBy(w => w.Name)
            .Select(w => new WorkspaceSummary(w.Id, w.Name, w.Label, w.ConnectionStatus, w.PhoneNumber,
                db.Chats.Count(c => c.WorkspaceId == w.Id && c.UnreadCount > 0 && (c.AssignedUserId == null || c.AssignedUserId == userId)),
                db.Chats.Where(c => c.WorkspaceId == w.Id && c.UnreadCount > 0 && (c.AssignedUserId == null || c.AssignedUserId == userId))
                    .Sum(c => c.UnreadCount)))
            .ToListAsync(cancellationToken);
    }
}

public sealed record WorkspaceSummary(
    Guid Id, string Name, string? Label, ConnectionStatus Status, string? PhoneNumber, int UnreadChats, int UnreadMessages);
