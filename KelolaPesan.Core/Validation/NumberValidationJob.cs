using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;

namespace KelolaPesan.Core.Validation;

/// <summary>A throttled, resumable check of many numbers on WhatsApp through one workspace.</summary>
public class NumberValidationJob : Entity, IWorkspaceOwned
{
    public const int NameMaxLength = 100;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public string Name { get; set; } = "";
    public ValidationJobStatus Status { get; set; }
    public int Total { get; set; }
    public int Processed { get; set; }
    public int Registered { get; set; }
    public int NotRegistered { get; set; }
    public int InvalidFormat { get; set; }
    public int Unknown { get; set; }
    public Guid? CreatedByUserId { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The job's result summary or fatal error, for the job page.</summary>
    public string? Result { get; set; }
}

public enum ValidationJobStatus { Queued = 0, Running = 1, Paused = 2, Completed = 3, Failed = 4 }

/// <summary>One number of a validation job: the raw input as given, its normalised form, and the outcome.</summary>
public class NumberValidationEntry : Entity, IWorkspaceOwned
{
    public const int RawMaxLength = 100;
    public const int NumberMaxLength = 20;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid JobId { get; set; }
    public int Sequence { get; set; }
    public string RawInput { get; set; } = "";
    public string? NormalizedNumber { get; set; }
    public ValidationStatus Status { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset? CheckedAt { get; set; }
}
