using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Privacy;

/// <summary>An owner's export of a workspace or the whole tenant, downloadable for a limited time.</summary>
public class DataExport : Entity, ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid? WorkspaceId { get; set; }
    public Guid RequestedByUserId { get; set; }
    public DataJobStatus Status { get; set; }
    public int ProgressPercent { get; set; }
    public string? StorageKey { get; set; }
    public long? SizeBytes { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public string? Error { get; set; }
}

public enum DataJobStatus { Queued = 0, Running = 1, Completed = 2, Failed = 3, Expired = 4 }
