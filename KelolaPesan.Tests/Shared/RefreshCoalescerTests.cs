using System.Collections.Concurrent;
using KelolaPesan.Web.Components.Shared;
using Microsoft.Extensions.Time.Testing;

namespace KelolaPesan.Tests.Shared;

/// <summary>
/// The coalescer on a fake clock: the first event refreshes at once, a burst during a refresh costs one trailing
/// refresh no sooner than the interval after the first one started, and then the coalescer is idle again.
/// </summary>
public sealed class RefreshCoalescerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<DateTimeOffset> _starts = new();
    private readonly SemaphoreSlim _started = new(0);
    private TaskCompletionSource _gate = Open();

    private static TaskCompletionSource Open()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    private RefreshCoalescer Create() => new(Interval, async () =>
    {
        _starts.Enqueue(_time.GetUtcNow());
        _started.Release();
        await _gate.Task;
    }, time: _time);

    private async Task WaitForStartAsync() => Assert.True(await _started.WaitAsync(Patience), "no refresh started");

    /// <summary>Moves the fake clock in small steps until the condition holds (the coalescer's timer may not exist yet).</summary>
    private async Task AdvanceUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached");
            _time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task Schedule_OnAnIdleCoalescer_RefreshesAtOnceWithoutWaitingForTheClock()
    {
        using var coalescer = Create();
        var before = _time.GetUtcNow();

        coalescer.Schedule();

        await WaitForStartAsync();
        Assert.Equal(before, Assert.Single(_starts));
    }

    [Fact]
    public async Task Schedule_ABurstDuringARefresh_CostsOneTrailingRefreshAfterTheInterval()
    {
        using var coalescer = Create();
        _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        coalescer.Schedule();
        await WaitForStartAsync();
        var first = _starts.Single();

        for (var i = 0; i < 20; i++)
            coalescer.Schedule();
        _time.Advance(TimeSpan.FromMilliseconds(30));
        _gate.SetResult();

        await AdvanceUntilAsync(() => _starts.Count >= 2);
        await WaitForStartAsync();
        Assert.True(_starts.ElementAt(1) - first >= Interval, $"trailing refresh came {_starts.ElementAt(1) - first} after the first");

        // Nothing arrived during the trailing refresh: the coalescer goes idle, and the next event is a leading edge again.
        await AdvanceUntilAsync(() => !coalescer.IsRunning);
        Assert.Equal(2, _starts.Count);
        var before = _time.GetUtcNow();
        coalescer.Schedule();
        await WaitForStartAsync();
        Assert.Equal(3, _starts.Count);
        Assert.Equal(before, _starts.Last());
    }

    [Fact]
    public async Task Schedule_EventsWithinTheIntervalAfterAQuickRefresh_AreCoveredByOneTrailingRefresh()
    {
        using var coalescer = Create();
        coalescer.Schedule();
        await WaitForStartAsync();
        var first = _starts.Single();

        // The refresh is over (the gate is open), but the interval is not: these wait for one more refresh.
        _time.Advance(TimeSpan.FromMilliseconds(20));
        coalescer.Schedule();
        coalescer.Schedule();

        await AdvanceUntilAsync(() => _starts.Count >= 2);
        Assert.True(_starts.ElementAt(1) - first >= Interval);
        await AdvanceUntilAsync(() => !coalescer.IsRunning);
        Assert.Equal(2, _starts.Count);
    }

    [Fact]
    public async Task Schedule_AfterDispose_RefreshesNothingMore()
    {
        var coalescer = Create();
        _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        coalescer.Schedule();
        await WaitForStartAsync();
        coalescer.Schedule();

        coalescer.Dispose();
        _gate.SetResult();

        await AdvanceUntilAsync(() => !coalescer.IsRunning);
        coalescer.Schedule();
        Assert.False(coalescer.IsRunning);
        Assert.Single(_starts);
    }
}
