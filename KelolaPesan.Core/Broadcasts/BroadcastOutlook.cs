namespace KelolaPesan.Core.Broadcasts;

/// <summary>Where a broadcast stands as its progress view says it: sending, waiting (for a reason), paused, or one of the final states.</summary>
public enum BroadcastPhase { Draft = 0, Scheduled = 1, Sending = 2, Waiting = 3, Paused = 4, Completed = 5, Cancelled = 6, Failed = 7 }

/// <summary>Why nothing is going out right now (the view shows it with <see cref="BroadcastOutlook.Until"/> when known).</summary>
public enum BroadcastWaitReason
{
    None = 0,

    /// <summary>Scheduled for later: until its start time.</summary>
    Scheduled = 1,

    /// <summary>Outside the sending window (the broadcast's within the policy's): until it opens, in the tenant's zone.</summary>
    OutsideWindow = 2,

    /// <summary>Today's paced messages of the workspace reached the daily cap: until the window opens on the next local day.</summary>
    DailyCap = 3,

    /// <summary>The WhatsApp number is not connected (running, or paused by the dispatcher until it reconnects).</summary>
    Disconnected = 4,

    /// <summary>Paused by a person (<see cref="BroadcastOutlook.PausedBy"/> when known); only a person resumes it.</summary>
    PausedByPerson = 5,

    /// <summary>The gateway answered errors: the queue backs off until the next attempt.</summary>
    GatewayRetry = 6,

    /// <summary>Other broadcasts of the same number are ahead in the shared queue.</summary>
    Queued = 7,
}

/// <summary>Final (or current) numbers: what went out, what failed, what was never sent because it was cancelled.</summary>
public sealed record BroadcastTally(int Total, int Pending, int Sent, int Failed, int Skipped, int Cancelled, int Uncertain)
{
    /// <summary>
    /// Recipients the queue sent to (sent, failed or uncertain): never the skipped ones, which are left out at
    /// materialisation (or at the check before a send) and take no send, nor those a cancel took away.
    /// </summary>
    public int Handled => Math.Max(0, Total - Pending - Skipped);

    /// <summary>Skipped for a reason other than the cancel (opted out, invalid, not on WhatsApp).</summary>
    public int SkippedOther => Math.Max(0, Skipped - Cancelled);

    /// <summary>The recipients it is to send to: all but the skipped ones (those a cancel took away were meant to go, so a cancel never fills the bar).</summary>
    public int ToSend => Math.Max(0, Total - SkippedOther);

    public double Percent => ToSend == 0 ? 0 : Math.Min(100, 100.0 * Handled / ToSend);
}

/// <param name="Until">When the wait ends (UTC; the page shows it in the tenant's zone); null when unknown or not waiting.</param>
/// <param name="Eta">When the last pending recipient is expected to go out (UTC), from the pacing, window and daily cap; null in final states, while paused or when it cannot finish.</param>
/// <param name="PerHour">Messages an hour the pacing allows while sending; null when not sending or the pacing has no delay.</param>
public sealed record BroadcastOutlook(BroadcastPhase Phase, BroadcastWaitReason Reason, DateTimeOffset? Until, DateTimeOffset? Eta, double? PerHour,
    BroadcastTally Tally, string? PausedBy = null)
{
    public bool IsFinal => Phase is BroadcastPhase.Completed or BroadcastPhase.Cancelled or BroadcastPhase.Failed;

    /// <summary>The tenant's time-zone id, in which the view shows <see cref="Until"/> and <see cref="Eta"/>.</summary>
    public string? TimeZoneId { get; init; }
}

/// <summary>The workspace around a broadcast at one moment: its window, cap, connection and today's budget, and who is ahead in its queue.</summary>
/// <param name="PolicyWindowStart">The policy's sending window, which the broadcast's own window never widens.</param>
/// <param name="SentToday">Paced messages the workspace sent on <paramref name="BudgetDay"/> (its local day).</param>
/// <param name="AheadInQueue">Pending recipients of running broadcasts that the shared queue serves before this one.</param>
public sealed record BroadcastSituation(
    TimeZoneInfo Zone,
    TimeOnly PolicyWindowStart,
    TimeOnly PolicyWindowEnd,
    int PolicyDailyCap,
    bool Connected,
    DateOnly? BudgetDay = null,
    int SentToday = 0,
    int SentInBatch = 0,
    DateTimeOffset? NextSendAt = null,
    int FailureStreak = 0,
    int AheadInQueue = 0,
    string? PausedBy = null);
