using System.Collections.Concurrent;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>A queue whose run ended because the app stops: its trigger is stored for it in one batch.</summary>
public sealed record HandedOverQueue(Guid TenantId, Guid WorkspaceId);

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
/// time. Stopping the app ends every run and collects their queues (<see cref="StopAllAsync"/>), whose triggers the
/// scheduler then stores in one batch before it closes: another node, or this one's next start, goes on from them.
/// </summary>
public sealed class BroadcastHolds(TimeProvider clock)
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _waiting = new();
    private readonly ConcurrentQueue<HandedOverQueue> _handedOver = new();
    private volatile bool _stopping;
    private int _runs;

    /// <summary>The app is stopping: a run ends at its next step, whatever it was doing.</summary>
    public bool Stopping => _stopping;

    /// <summary>Counts a run, from its start until its next time is stored, so that stopping waits for it.</summary>
    public IDisposable Enter()
    {
        Interlocked.Increment(ref _runs);
        return new Exit(this);
    }

    private sealed class Exit(BroadcastHolds holds) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
                Interlocked.Decrement(ref holds._runs);
        }
    }

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

    /// <summary>A run that ended while the app stops leaves its queue here rather than storing a trigger of its own.</summary>
    public void HandOver(Guid tenantId, Guid workspaceId) => _handedOver.Enqueue(new HandedOverQueue(tenantId, workspaceId));

    /// <summary>
    /// The app is stopping: every wait ends now, no run waits again, and this returns the queues handed over once every
    /// counted run has ended (or after <paramref name="max"/>: a run stuck on the database must not hold the stop; its
    /// queue is woken by the next start, as after a crash).
    /// </summary>
    public async Task<IReadOnlyList<HandedOverQueue>> StopAllAsync(TimeSpan max, CancellationToken ct = default)
    {
        _stopping = true;
        foreach (var woken in _waiting.Values)
            woken.TrySetResult();
        var started = clock.GetTimestamp();
        while (Volatile.Read(ref _runs) > 0 && clock.GetElapsedTime(started) < max && !ct.IsCancellationRequested)
            await Task.Delay(TimeSpan.FromMilliseconds(20), clock, CancellationToken.None);
        var queues = new List<HandedOverQueue>();
        while (_handedOver.TryDequeue(out var queue))
            queues.Add(queue);
        return queues;
    }

    /// <summary>How many runs wait now.</summary>
    public int Waiting => _waiting.Count;
}
