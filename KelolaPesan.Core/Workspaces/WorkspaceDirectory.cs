using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Workspaces;

/// <summary>The workspaces a user may open: agents their assigned ones, owners and managers all of the tenant's.</summary>
public sealed class WorkspaceDirectory(IKelolaDbFactory dbFactory)
{
    public async Task<IReadOnlyList<WorkspaceSummary>> ListForUserAsync(Guid userId, UserRole role, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var workspaces = db.Workspaces.AsNoTracking();
        if (role == UserRole.Agent)
            workspaces = workspaces.Where(w => db.WorkspaceMembers.Any(m => m.WorkspaceId == w.Id && m.UserId == userId));

        return await workspaces
            .OrderBy(w => w.Name)
            .Select(w => new WorkspaceSummary(w.Id, w.Name, w.Label, w.ConnectionStatus, w.PhoneNumber, w.UnreadChats, w.UnreadMessages))
            .ToListAsync(cancellationToken);
    }
}

public sealed record WorkspaceSummary(
    Guid Id, string Name, string? Label, ConnectionStatus Status, string? PhoneNumber, int UnreadChats, int UnreadMessages);
