using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>A scheduled, paced message to many recipients of one workspace.</summary>
public class Broadcast : Entity, IWorkspaceOwned, ISoftDeletable
{
    public const int NameMaxLength = 100;
    public const int MessageMaxLength = 4096;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public string Name { get; set; } = "";
    public string MessageTemplate { get; set; } = "";
    public Guid? AttachmentId { get; set; }

    /// <summary>The audience as chosen (lists, segments, labels, pasted numbers), JSON.</summary>
    public string AudienceJson { get; set; } = "{}";
    public BroadcastStatus Status { get; set; }
    public string? StatusReason { get; set; }

    /// <summary>Who paused it: a person (only a person resumes it) or the system when the number disconnected (resumed on reconnect).</summary>
    public BroadcastPauseCause PauseCause { get; set; }

    /// <summary>The person who paused it, when a person did (the progress view names them).</summary>
    public Guid? PausedByUserId { get; set; }
    public DateTimeOffset? ScheduledAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    public int MinDelaySeconds { get; set; }
    public int MaxDelaySeconds { get; set; }
    public int BatchSize { get; set; }
    public int BatchRestSeconds { get; set; }
    public int DailyCap { get; set; }
    public TimeOnly? WindowStart { get; set; }
    public TimeOnly? WindowEnd { get; set; }

    /// <summary>The watermark footer decided by the licence at creation time (null: none).</summary>
    public string? WatermarkFooter { get; set; }

    /// <summary>Sent by the platform admin to tenant owners through the admin connection.</summary>
    public bool IsAdminBroadcast { get; set; }
    public Guid? CreatedByUserId { get; set; }

    /// <summary>Set on the carrier broadcast of one sequence step: its recipients go through the same paced queue; it never completes.</summary>
    public Guid? SequenceStepId { get; set; }

    // Stored progress counters, so the live view never counts recipients on each frame.
    public int TotalRecipients { get; set; }
    public int PendingCount { get; set; }
    public int SentCount { get; set; }
    public int DeliveredCount { get; set; }
    public int ReadCount { get; set; }
    public int FailedCount { get; set; }
    public int SkippedCount { get; set; }
    public int UncertainCount { get; set; }

    /// <summary>Recipients a cancel took out of the queue (also counted in <see cref="SkippedCount"/>): never sent.</summary>
    public int CancelledCount { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
}

public enum BroadcastStatus { Draft = 0, Scheduled = 1, Running = 2, Paused = 3, Completed = 4, Cancelled = 5 }

public enum BroadcastPauseCause { None = 0, Person = 1, Disconnected = 2 }
