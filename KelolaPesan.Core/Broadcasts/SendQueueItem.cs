using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>
/// The per-workspace paced send budget: how many paced messages (broadcasts, sequences, bots) went out
/// on a day, and when the next one may go. Agent replies never count here.
/// </summary>
public class WorkspaceSendBudget : Entity, IWorkspaceOwned
{
    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public DateOnly Day { get; set; }
    public int SentToday { get; set; }
    public int SentInBatch { get; set; }
    public DateTimeOffset? NextSendAt { get; set; }

    /// <summary>
    /// The stored "needs reconciliation" mark: set on resume and when a run failed after a gateway call. Whichever node runs
    /// the workspace next turns recipients left Sending into Uncertain and reconciles them (docs/adr/0017).
    /// </summary>
    public bool NeedsRecovery { get; set; }

    /// <summary>A node reconciling this workspace holds it until then (a conditional UPDATE takes it), so recovery never runs twice at once.</summary>
    public DateTimeOffset? RecoveryLeaseUntil { get; set; }

    /// <summary>Consecutive transient gateway failures, for the back-off.</summary>
    public int FailureStreak { get; set; }
}
