using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Workspaces;

/// <summary>The workspace's error records and connection history: gateway errors, drops, reconnects.</summary>
public class WorkspaceEvent : Entity, IWorkspaceOwned
{
    public const int OperationMaxLength = 100;
    public const int MessageMaxLength = 2000;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public WorkspaceEventKind Kind { get; set; }
    public DateTimeOffset At { get; set; }
    public string Operation { get; set; } = "";
    public string Message { get; set; } = "";
}

public enum WorkspaceEventKind { Error = 0, Dropped = 1, Reconnected = 2, StatusChanged = 3, AutoRestart = 4 }
