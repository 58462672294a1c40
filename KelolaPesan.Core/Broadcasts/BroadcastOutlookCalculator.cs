namespace KelolaPesan.Core.Broadcasts;

/// <summary>
/// The one place that says what a broadcast's progress view shows: its phase, why it waits and until when, the expected
/// finish and the pacing's rate. The finish is walked forward from the queue's rules (average delay, a rest after every
/// batch, only inside the sending window, at most the daily cap per local day, after whatever is ahead in the queue),
/// never extrapolated from the rate the page happened to see. Pure: the caller passes the moment.
/// </summary>
public static class BroadcastOutlookCalculator
{
    /// <summary>Past this the finish is not shown (a cap of one message a day on a huge audience, a window that never opens).</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(3660);

    public static BroadcastOutlook Compute(Broadcast b, BroadcastSituation s, DateTimeOffset now)
    {
        var tally = new BroadcastTally(b.TotalRecipients, Math.Max(0, b.PendingCount), b.SentCount + b.DeliveredCount + b.ReadCount,
            b.FailedCount, b.SkippedCount, b.CancelledCount, b.UncertainCount);
        var final = new BroadcastOutlook(BroadcastPhase.Completed, BroadcastWaitReason.None, null, null, null, tally);
        switch (b.Status)
        {
            case BroadcastStatus.Completed:
                // Nothing went out and something failed: the honest word is "failed", not "completed".
                return tally is { Sent: 0, Failed: > 0 } ? final with { Phase = BroadcastPhase.Failed } : final;
            case BroadcastStatus.Cancelled:
                return final with { Phase = BroadcastPhase.Cancelled };
            case BroadcastStatus.Draft:
                return final with { Phase = BroadcastPhase.Draft };
            case BroadcastStatus.Paused:
                return b.PauseCause == BroadcastPauseCause.Disconnected
                    ? final with { Phase = BroadcastPhase.Paused, Reason = BroadcastWaitReason.Disconnected }
                    : final with { Phase = BroadcastPhase.Paused, Reason = BroadcastWaitReason.PausedByPerson, PausedBy = s.PausedBy };
        }

        var window = SendWindow.Of(b.WindowStart ?? s.PolicyWindowStart, b.WindowEnd ?? s.PolicyWindowEnd, s.PolicyWindowStart, s.PolicyWindowEnd, s.Zone);
        var cap = Math.Max(0, Math.Min(b.DailyCap, s.PolicyDailyCap));
        var today = window.Day(now);
        var sentToday = s.BudgetDay == today ? s.SentToday : 0;
        var perMessage = SecondsPerMessage(b);
        var perHour = perMessage > 0 ? 3600 / perMessage : (double?)null;

        if (b.Status == BroadcastStatus.Scheduled && b.ScheduledAt > now)
        {
            var startAt = b.ScheduledAt.Value;
            var eta = Finish(b, window, cap, s.BudgetDay == window.Day(startAt) ? s.SentToday : 0, s.SentInBatch, startAt, tally.Pending + s.AheadInQueue);
            return new BroadcastOutlook(BroadcastPhase.Scheduled, BroadcastWaitReason.Scheduled, startAt, eta, null, tally);
        }
        if (tally.Pending == 0)
            return new BroadcastOutlook(BroadcastPhase.Sending, BroadcastWaitReason.None, null, null, null, tally);
        if (!s.Connected)
            return new BroadcastOutlook(BroadcastPhase.Waiting, BroadcastWaitReason.Disconnected, null, null, null, tally);

        var start = s.NextSendAt is { } next && next > now ? next : now;
        var finish = Finish(b, window, cap, sentToday, s.SentInBatch, start, tally.Pending + s.AheadInQueue);
        var nextOpen = window.IsOpen(now) ? now : window.NextOpen(now);
        var tomorrow = window.NextMidnight(now);
        var (reason, until) = (cap: sentToday >= cap, open: window.IsOpen(now)) switch
        {
            // Outside the window until a later day: the cap will have reset by then, so the window is the reason.
            { cap: true } when nextOpen is { } o && o < tomorrow => (BroadcastWaitReason.DailyCap, window.NextOpenFrom(tomorrow)),
            { cap: true, open: true } => (BroadcastWaitReason.DailyCap, window.NextOpenFrom(tomorrow)),
            { open: false } => (BroadcastWaitReason.OutsideWindow, nextOpen),
            _ when s.FailureStreak > 0 && s.NextSendAt > now => (BroadcastWaitReason.GatewayRetry, s.NextSendAt),
            _ when s.AheadInQueue > 0 => (BroadcastWaitReason.Queued, (DateTimeOffset?)null),
            _ => (BroadcastWaitReason.None, null),
        };
        return new BroadcastOutlook(reason == BroadcastWaitReason.None ? BroadcastPhase.Sending : BroadcastPhase.Waiting, reason, until, finish,
            reason is BroadcastWaitReason.None or BroadcastWaitReason.Queued ? perHour : null, tally);
    }

    /// <summary>Average seconds per message over a batch: the random delay between messages, the rest after the batch's last one.</summary>
    public static double SecondsPerMessage(Broadcast b)
    {
        var batch = Math.Max(1, b.BatchSize);
        var delay = (b.MinDelaySeconds + Math.Max(b.MinDelaySeconds, b.MaxDelaySeconds)) / 2.0;
        return ((batch - 1) * delay + b.BatchRestSeconds) / batch;
    }

    /// <summary>Walks the queue forward message by message (day boundaries and window edges computed once per stretch); null past the horizon.</summary>
    private static DateTimeOffset? Finish(Broadcast b, SendWindow window, int cap, int sentToday, int sentInBatch, DateTimeOffset start, int remaining)
    {
        if (remaining <= 0)
            return null;
        if (cap <= 0 || !window.EverOpen)
            return null;
        var batch = Math.Max(1, b.BatchSize);
        var delay = TimeSpan.FromSeconds((b.MinDelaySeconds + Math.Max(b.MinDelaySeconds, b.MaxDelaySeconds)) / 2.0);
        var rest = TimeSpan.FromSeconds(b.BatchRestSeconds);
        var t = start;
        var dayEnd = window.NextMidnight(t);
        var last = t;
        while (remaining > 0)
        {
            if (t - start > Horizon)
                return null;
            if (t >= dayEnd)
            {
                dayEnd = window.NextMidnight(t);
                sentToday = 0;
            }
            if (sentToday >= cap)
            {
                t = dayEnd;
                continue;
            }
            if (window.CloseAfter(t) is not { } close)
            {
                if (window.NextOpen(t) is not { } open)
                    return null;
                t = open;
                continue;
            }
            var stretchEnd = close < dayEnd ? close : dayEnd;
            while (remaining > 0 && sentToday < cap && t < stretchEnd)
            {
                last = t;
                remaining--;
                sentToday++;
                if (++sentInBatch >= batch)
                {
                    sentInBatch = 0;
                    t += rest;
                }
                else
                {
                    t += delay;
                }
            }
        }
        return last;
    }
}

/// <summary>
/// The hours of a local day in which the queue sends: the broadcast's window within the policy's (each [start, end),
/// spanning midnight when start is after end, all day when they are equal), in the tenant's zone.
/// </summary>
internal sealed class SendWindow
{
    private static readonly TimeSpan FullDay = TimeSpan.FromDays(1);
    private readonly List<(TimeSpan Start, TimeSpan End)> _ranges;
    private readonly TimeZoneInfo _zone;

    private SendWindow(List<(TimeSpan, TimeSpan)> ranges, TimeZoneInfo zone)
    {
        _ranges = ranges;
        _zone = zone;
    }

    public static SendWindow Of(TimeOnly start, TimeOnly end, TimeOnly policyStart, TimeOnly policyEnd, TimeZoneInfo zone)
    {
        var ranges = new List<(TimeSpan, TimeSpan)>();
        foreach (var (a1, b1) in Ranges(start, end))
            foreach (var (a2, b2) in Ranges(policyStart, policyEnd))
            {
                var a = a1 > a2 ? a1 : a2;
                var b = b1 < b2 ? b1 : b2;
                if (a < b)
                    ranges.Add((a, b));
            }
        ranges.Sort();
        return new SendWindow(ranges, zone);
    }

    private static IEnumerable<(TimeSpan, TimeSpan)> Ranges(TimeOnly start, TimeOnly end)
    {
        var (s, e) = (start.ToTimeSpan(), end.ToTimeSpan());
        if (s == e)
            return [(TimeSpan.Zero, FullDay)];
        return s < e ? [(s, e)] : [(TimeSpan.Zero, e), (s, FullDay)];
    }

    public bool EverOpen => _ranges.Count > 0;

    public DateOnly Day(DateTimeOffset utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(utc, _zone).DateTime);

    public bool IsOpen(DateTimeOffset utc) => CloseAfter(utc) is not null;

    /// <summary>When the open stretch containing <paramref name="utc"/> ends; null when the window is closed then.</summary>
    public DateTimeOffset? CloseAfter(DateTimeOffset utc)
    {
        var local = TimeZoneInfo.ConvertTime(utc, _zone);
        var time = local.TimeOfDay;
        foreach (var (start, end) in _ranges)
            if (time >= start && time < end)
                return Utc(local.Date + end);
        return null;
    }

    /// <summary>The next moment after <paramref name="utc"/> at which the window opens; null when it never does.</summary>
    public DateTimeOffset? NextOpen(DateTimeOffset utc)
    {
        if (_ranges.Count == 0)
            return null;
        var local = TimeZoneInfo.ConvertTime(utc, _zone);
        foreach (var (start, _) in _ranges)
            if (start > local.TimeOfDay)
                return Utc(local.Date + start);
        return Utc(local.Date.AddDays(1) + _ranges[0].Start);
    }

    /// <summary>The window's first open moment at or after <paramref name="utc"/>.</summary>
    public DateTimeOffset? NextOpenFrom(DateTimeOffset utc) => IsOpen(utc) ? utc : NextOpen(utc);

    public DateTimeOffset NextMidnight(DateTimeOffset utc) => Utc(TimeZoneInfo.ConvertTime(utc, _zone).Date.AddDays(1));

    private DateTimeOffset Utc(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, _zone.GetUtcOffset(unspecified)).ToUniversalTime();
    }
}
