using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Privacy;

/// <summary>
/// A deletion run as a job with a public confirmation code and a status page. Requested by an owner
/// (contact, chat, workspace, Instagram data, tenant) or by Meta's data deletion callback.
/// Not tenant-filtered: the public status lookup by code must find it.
/// </summary>
public class DeletionRequest : Entity
{
    public const int CodeMaxLength = 40;

    public string ConfirmationCode { get; set; } = "";
    public Guid? TenantId { get; set; }
    public DeletionScope Scope { get; set; }
    public string TargetId { get; set; } = "";
    public DataJobStatus Status { get; set; }
    public string? RequestedBy { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? Error { get; set; }
}

public enum DeletionScope { Contact = 0, Chat = 1, Workspace = 2, InstagramData = 3, Tenant = 4, InstagramUser = 5 }
