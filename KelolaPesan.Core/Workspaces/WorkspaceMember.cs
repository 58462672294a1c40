using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Workspaces;

/// <summary>Assigns an agent to a workspace; agents see only the inboxes they are assigned to.</summary>
public class WorkspaceMember : Entity, IWorkspaceOwned
{
    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid UserId { get; set; }
}
