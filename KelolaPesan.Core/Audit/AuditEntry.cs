using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Audit;

/// <summary>
/// Who did what, when: sign-ins, licence and policy changes, admin actions, exports and deletions.
/// <see cref="TenantId"/> is null for platform-level entries; owners see only their tenant's.
/// </summary>
public class AuditEntry : Entity
{
    public const int ActionMaxLength = 100;
    public const int ActorMaxLength = 200;
    public const int DetailsMaxLength = 4000;

    public Guid? TenantId { get; set; }
    public DateTimeOffset At { get; set; }
    public AuditActorType ActorType { get; set; }
    public Guid? ActorId { get; set; }
    public string ActorName { get; set; } = "";
    public string Action { get; set; } = "";
    public string? TargetType { get; set; }
    public string? TargetId { get; set; }
    public string? Details { get; set; }
    public string? IpAddress { get; set; }
    public bool Succeeded { get; set; } = true;
}

public enum AuditActorType { Anonymous = 0, User = 1, Admin = 2, ApiKey = 3, System = 4 }
