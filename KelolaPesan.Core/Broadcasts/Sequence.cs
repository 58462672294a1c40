using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>A drip campaign: ordered steps sent through the workspace's paced queue.</summary>
public class Sequence : Entity, IWorkspaceOwned, ISoftDeletable
{
    public const int NameMaxLength = 100;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public string Name { get; set; } = "";
    public bool IsActive { get; set; }

    /// <summary>Enrol contacts when they join this list.</summary>
    public Guid? EnrolOnListId { get; set; }

    /// <summary>Where the editor last enrolled from (a list or segment once, or joiners of a list), shown when it is opened again.</summary>
    public SequenceEnrolSource EnrolSource { get; set; }
    public Guid? EnrolSourceId { get; set; }
    public bool StopOnReply { get; set; } = true;
    public DateTimeOffset? DeletedAt { get; set; }
}

public class SequenceStep : Entity, IWorkspaceOwned
{
    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid SequenceId { get; set; }
    public int Order { get; set; }

    /// <summary>Days after enrolment (0 = the day of enrolment).</summary>
    public int DelayDays { get; set; }

    /// <summary>Minutes after the previous step, used when <see cref="TimeOfDay"/> is null.</summary>
    public int DelayMinutes { get; set; }
    public TimeOnly? TimeOfDay { get; set; }
    public string MessageTemplate { get; set; } = "";
    public Guid? AttachmentId { get; set; }
}

public class SequenceEnrollment : Entity, IWorkspaceOwned
{
    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid SequenceId { get; set; }
    public Guid ContactId { get; set; }
    public int NextStepOrder { get; set; }
    public DateTimeOffset? NextRunAt { get; set; }
    public EnrollmentStatus Status { get; set; }
    public string? StopReason { get; set; }
    public DateTimeOffset EnrolledAt { get; set; }

    /// <summary>How the contact came in: a list or segment (once), joining a list, or by hand (None); the list or segment's id.</summary>
    public SequenceEnrolSource Source { get; set; }
    public Guid? SourceId { get; set; }
}

public enum EnrollmentStatus { Active = 0, Completed = 1, Stopped = 2 }
