using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Workspaces;

/// <summary>Writes the workspace's history rows (errors, drops, reconnects) with their limits applied.</summary>
public static class WorkspaceEvents
{
    public static WorkspaceEvent Add(IKelolaDb db, Workspace workspace, WorkspaceEventKind kind, string operation, string message, DateTimeOffset at)
    {
        var row = new WorkspaceEvent
        {
            TenantId = workspace.TenantId, WorkspaceId = workspace.Id, Kind = kind, At = at,
            Operation = Truncate(operation, WorkspaceEvent.OperationMaxLength),
            Message = Truncate(message, WorkspaceEvent.MessageMaxLength),
        };
        db.WorkspaceEvents.Add(row);
        return row;
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
