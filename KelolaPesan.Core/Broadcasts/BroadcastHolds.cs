using System.Collections.Concurrent;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>How a run's wait for its queue's next send ended.</summary>
public enum HoldOutcome
{
    /// <summary>The time came.</summary>
    Due,
    /// <summary>A wake on this node (a broadcast created, resumed, scheduled): the run looks again now.</summary>
    Woken,
    /// <summary>The app is stopping: the run ends and hands its next time to the persistent trigger.</summary>
    Stopping,
}

/// <summary>
/// Where a paced queue's run waits in memory for its next send (docs/adr/0030), instead of ending and being fired
/// again through the Quartz store for every send. One waiting run per workspace on a node (the job never runs twice
/// at once). A wake on this node ends the wait early, so a broadcast started meanwhile does not wait for the held
/// time; the app stopping ends every wait, so a shutdown does not wait for them either.
/// </summary>
public sealed class BroadcastHolds(TimeProvider clock)
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _waiting = new();
    private volatile bool _stopping;

    internal async Task<HoldOutcome> WaitAsync(Guid workspaceId, TimeSpan delay, CancellationToken ct)
    {
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[workspaceId] = woken;
        try
        {
            // Checked after registering: a stop between the two still reaches this wait through StopAll.
            if (_stopping)
                return HoldOutcome.Stopping;
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var due = Task.Delay(delay, clock, timer.Token);
            var first = await Task.WhenAny(due, woken.Task);
            timer.Cancel();
            ct.ThrowIfCancellationRequested();
            return first == due ? HoldOutcome.Due : _stopping ? HoldOutcome.Stopping : HoldOutcome.Woken;
        }
        finally
        {
            _waiting.TryRemove(KeyValuePair.Create(workspaceId, woken));
        }
    }

    /// <summary>Ends the wait of the workspace's run on this node, if one waits.</summary>
    public void Wake(Guid workspaceId)
    {
        if (_waiting.TryGetValue(workspaceId, out var woken))
            woken.TrySetResult();
    }

    /// <summary>The app is stopping: every wait ends now, and no run waits again.</summary>
    public void StopAll()
    {
        _stopping = true;
        foreach (var woken in _waiting.Values)
            woken.TrySetResult();
    }

    /// <summary>How many runs wait now (the benchmark reports it).</summary>
    public int Waiting => _waiting.Count;
}
