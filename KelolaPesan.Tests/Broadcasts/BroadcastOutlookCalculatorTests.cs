using KelolaPesan.Core.Broadcasts;
using Microsoft.Extensions.Time.Testing;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>The progress views' arithmetic: phase, waiting reason and its end, finish from pacing, window and cap; over a fake clock.</summary>
public sealed class BroadcastOutlookCalculatorTests
{
    private static readonly TimeZoneInfo Jakarta = TimeZoneInfo.FindSystemTimeZoneById("Asia/Jakarta");
    private static readonly TimeOnly Eight = new(8, 0), Twenty = new(20, 0);

    /// <summary>A clock at a local (Jakarta) time on 1 December 2026.</summary>
    private static FakeTimeProvider At(int hour, int minute = 0, int day = 1) =>
        new(new DateTimeOffset(2026, 12, day, hour, minute, 0, TimeSpan.FromHours(7)));

    private static DateTimeOffset Local(int day, int hour, int minute = 0, int second = 0, int offset = 7) =>
        new DateTimeOffset(2026, 12, day, hour, minute, second, TimeSpan.FromHours(offset)).ToUniversalTime();

    private static Broadcast Running(int pending, int min = 30, int max = 60, int batch = 1000, int rest = 0, int cap = 1000) => new()
    {
        Status = BroadcastStatus.Running, TotalRecipients = pending, PendingCount = pending,
        MinDelaySeconds = min, MaxDelaySeconds = max, BatchSize = batch, BatchRestSeconds = rest, DailyCap = cap,
        WindowStart = Eight, WindowEnd = Twenty, StartedAt = Local(1, 0),
    };

    private static BroadcastSituation Situation(TimeZoneInfo? zone = null, bool connected = true, DateOnly? day = null, int sentToday = 0,
        int cap = 1000, int ahead = 0, DateTimeOffset? nextSendAt = null, int failures = 0, string? pausedBy = null) =>
        new(zone ?? Jakarta, Eight, Twenty, cap, connected, day, sentToday, 0, nextSendAt, failures, ahead, pausedBy);

    [Fact]
    public void StartedOutsideTheWindow_WaitsUntil08_AndTheFinishCountsFromThere()
    {
        var clock = At(21);
        var outlook = BroadcastOutlookCalculator.Compute(Running(10), Situation(), clock.GetUtcNow());

        Assert.Equal(BroadcastPhase.Waiting, outlook.Phase);
        Assert.Equal(BroadcastWaitReason.OutsideWindow, outlook.Reason);
        Assert.Equal(Local(2, 8), outlook.Until);
        // Ten sends 45 s apart on average, the first at the opening.
        Assert.Equal(Local(2, 8, 6, 45), outlook.Eta);
        Assert.Null(outlook.PerHour);
    }

    [Fact]
    public void EarlyInTheMorning_WaitsUntil08TheSameDay()
    {
        var outlook = BroadcastOutlookCalculator.Compute(Running(1), Situation(), At(6, 30).GetUtcNow());

        Assert.Equal(BroadcastWaitReason.OutsideWindow, outlook.Reason);
        Assert.Equal(Local(1, 8), outlook.Until);
        Assert.Equal(Local(1, 8), outlook.Eta);
    }

    [Fact]
    public void TheWindowIsTheTenantsZone_Makassar08IsMidnightUtc()
    {
        var makassar = TimeZoneInfo.FindSystemTimeZoneById("Asia/Makassar");
        var clock = new FakeTimeProvider(Local(1, 22, offset: 8));
        var outlook = BroadcastOutlookCalculator.Compute(Running(1), Situation(makassar), clock.GetUtcNow());

        Assert.Equal(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero), outlook.Until);
    }

    [Fact]
    public void DailyCapReached_WaitsUntilTheWindowOpensTomorrow_AndTheFinishSpreadsOverDays()
    {
        var clock = At(10);
        var today = new DateOnly(2026, 12, 1);
        var outlook = BroadcastOutlookCalculator.Compute(Running(150, min: 60, max: 60, cap: 100), Situation(day: today, sentToday: 100), clock.GetUtcNow());

        Assert.Equal(BroadcastPhase.Waiting, outlook.Phase);
        Assert.Equal(BroadcastWaitReason.DailyCap, outlook.Reason);
        Assert.Equal(Local(2, 8), outlook.Until);
        // 100 tomorrow (08:00..09:39), the last 50 the day after from 08:00: the 50th at 08:49.
        Assert.Equal(Local(3, 8, 49), outlook.Eta);
    }

    [Fact]
    public void ThePolicysCap_BindsWhenTighterThanTheBroadcasts()
    {
        var outlook = BroadcastOutlookCalculator.Compute(Running(5, cap: 1000), Situation(day: new DateOnly(2026, 12, 1), sentToday: 50, cap: 50), At(9).GetUtcNow());

        Assert.Equal(BroadcastWaitReason.DailyCap, outlook.Reason);
    }

    [Fact]
    public void YesterdaysBudget_DoesNotCountToday()
    {
        var outlook = BroadcastOutlookCalculator.Compute(Running(5, cap: 100), Situation(day: new DateOnly(2026, 11, 30), sentToday: 100), At(9).GetUtcNow());

        Assert.Equal(BroadcastPhase.Sending, outlook.Phase);
        Assert.Equal(BroadcastWaitReason.None, outlook.Reason);
    }

    [Fact]
    public void ThePacing_GivesTheRateAndTheFinish_WithBatchRests()
    {
        // Batches of 5: four 10 s delays and a 600 s rest per batch.
        var clock = At(9);
        var outlook = BroadcastOutlookCalculator.Compute(Running(10, min: 10, max: 10, batch: 5, rest: 600), Situation(), clock.GetUtcNow());

        Assert.Equal(BroadcastPhase.Sending, outlook.Phase);
        Assert.Equal(3600 / ((4 * 10 + 600) / 5.0), outlook.PerHour!.Value, 3);
        // 0, 10, 20, 30, 40, rest to 640, then 650, 660, 670, 680.
        Assert.Equal(Local(1, 9, 11, 20), outlook.Eta);
    }

    [Fact]
    public void TheWindowClosingMidway_CarriesTheRestToTomorrowMorning()
    {
        var outlook = BroadcastOutlookCalculator.Compute(Running(20, min: 60, max: 60), Situation(), At(19, 50).GetUtcNow());

        Assert.Equal(BroadcastPhase.Sending, outlook.Phase);
        // 19:50..19:59 (10 sends), then 08:00..08:09 the next day.
        Assert.Equal(Local(2, 8, 9), outlook.Eta);
    }

    [Fact]
    public void AWindowThatNeverOpens_SaysSo_WithoutAFinish()
    {
        var broadcast = Running(3);
        broadcast.WindowStart = new TimeOnly(21, 0);
        broadcast.WindowEnd = new TimeOnly(22, 0);
        var outlook = BroadcastOutlookCalculator.Compute(broadcast, Situation(), At(9).GetUtcNow());

        Assert.Equal(BroadcastWaitReason.OutsideWindow, outlook.Reason);
        Assert.Null(outlook.Until);
        Assert.Null(outlook.Eta);
    }

    [Fact]
    public void OthersAheadInTheQueue_AreWaitedFor()
    {
        var alone = BroadcastOutlookCalculator.Compute(Running(10, min: 60, max: 60), Situation(), At(9).GetUtcNow());
        var behind = BroadcastOutlookCalculator.Compute(Running(10, min: 60, max: 60), Situation(ahead: 30), At(9).GetUtcNow());

        Assert.Equal(BroadcastWaitReason.Queued, behind.Reason);
        Assert.Equal(alone.Eta!.Value.AddMinutes(30), behind.Eta);
    }

    [Fact]
    public void GatewayErrors_WaitForTheNextAttempt()
    {
        var clock = At(9);
        var retry = clock.GetUtcNow().AddSeconds(16);
        var outlook = BroadcastOutlookCalculator.Compute(Running(1), Situation(nextSendAt: retry, failures: 3), clock.GetUtcNow());

        Assert.Equal(BroadcastWaitReason.GatewayRetry, outlook.Reason);
        Assert.Equal(retry, outlook.Until);
        Assert.Equal(retry, outlook.Eta);
    }

    [Fact]
    public void Disconnected_IsTheReason_RunningOrPausedByTheQueue()
    {
        var running = BroadcastOutlookCalculator.Compute(Running(5), Situation(connected: false), At(9).GetUtcNow());
        Assert.Equal((BroadcastPhase.Waiting, BroadcastWaitReason.Disconnected), (running.Phase, running.Reason));
        Assert.Null(running.Eta);

        var paused = Running(5);
        paused.Status = BroadcastStatus.Paused;
        paused.PauseCause = BroadcastPauseCause.Disconnected;
        var outlook = BroadcastOutlookCalculator.Compute(paused, Situation(connected: false), At(9).GetUtcNow());
        Assert.Equal((BroadcastPhase.Paused, BroadcastWaitReason.Disconnected), (outlook.Phase, outlook.Reason));
    }

    [Fact]
    public void PausedByAPerson_NamesThem()
    {
        var paused = Running(5);
        paused.Status = BroadcastStatus.Paused;
        paused.PauseCause = BroadcastPauseCause.Person;
        var outlook = BroadcastOutlookCalculator.Compute(paused, Situation(pausedBy: "Sari"), At(9).GetUtcNow());

        Assert.Equal((BroadcastPhase.Paused, BroadcastWaitReason.PausedByPerson, "Sari"), (outlook.Phase, outlook.Reason, outlook.PausedBy));
        Assert.Null(outlook.Eta);
        Assert.Null(outlook.PerHour);
    }

    [Fact]
    public void Scheduled_WaitsForItsTime_AndFinishesFromThere()
    {
        var broadcast = Running(2, min: 60, max: 60);
        broadcast.Status = BroadcastStatus.Scheduled;
        broadcast.ScheduledAt = Local(1, 14);
        var outlook = BroadcastOutlookCalculator.Compute(broadcast, Situation(), At(9).GetUtcNow());

        Assert.Equal((BroadcastPhase.Scheduled, BroadcastWaitReason.Scheduled), (outlook.Phase, outlook.Reason));
        Assert.Equal(Local(1, 14), outlook.Until);
        Assert.Equal(Local(1, 14, 1), outlook.Eta);
    }

    [Fact]
    public void Cancelled_ShowsFinalNumbers_NoRateNoFinish()
    {
        // The case: 812 went out, 1171 were still queued when the manager cancelled.
        var broadcast = new Broadcast
        {
            Status = BroadcastStatus.Cancelled, TotalRecipients = 1983, PendingCount = 0, SentCount = 700, DeliveredCount = 100, ReadCount = 12,
            FailedCount = 0, SkippedCount = 1171, CancelledCount = 1171, MinDelaySeconds = 0, MaxDelaySeconds = 0, BatchSize = 1000, DailyCap = 5000,
        };
        var outlook = BroadcastOutlookCalculator.Compute(broadcast, Situation(), At(9).GetUtcNow());

        Assert.Equal(BroadcastPhase.Cancelled, outlook.Phase);
        Assert.True(outlook.IsFinal);
        Assert.Null(outlook.PerHour);
        Assert.Null(outlook.Eta);
        Assert.Equal((812, 0, 1171, 0), (outlook.Tally.Sent, outlook.Tally.Failed, outlook.Tally.Cancelled, outlook.Tally.SkippedOther));
        Assert.Equal(812, outlook.Tally.Handled);
        Assert.Equal(100.0 * 812 / 1983, outlook.Tally.Percent, 3);
    }

    [Fact]
    public void CompletedWithNothingSent_IsFailed_OtherwiseCompleted()
    {
        var failed = new Broadcast { Status = BroadcastStatus.Completed, TotalRecipients = 3, FailedCount = 3 };
        Assert.Equal(BroadcastPhase.Failed, BroadcastOutlookCalculator.Compute(failed, Situation(), At(9).GetUtcNow()).Phase);

        var done = new Broadcast { Status = BroadcastStatus.Completed, TotalRecipients = 3, SentCount = 2, FailedCount = 1 };
        var outlook = BroadcastOutlookCalculator.Compute(done, Situation(), At(9).GetUtcNow());
        Assert.Equal(BroadcastPhase.Completed, outlook.Phase);
        Assert.Equal(100, outlook.Tally.Percent);
        Assert.Null(outlook.PerHour);
    }

    [Fact]
    public void ALargeAudienceUnderASmallCap_IsWalkedQuickly()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var outlook = BroadcastOutlookCalculator.Compute(Running(100_000, min: 30, max: 60, cap: 200), Situation(cap: 200), At(9).GetUtcNow());

        // 200 a day: the 100 000th goes out on day 500.
        Assert.Equal(Local(1, 9).AddDays(499).Date, outlook.Eta!.Value.ToOffset(TimeSpan.FromHours(7)).Date);
        Assert.True(started.ElapsedMilliseconds < 1000, $"took {started.ElapsedMilliseconds} ms");
    }
}
