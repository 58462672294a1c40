using System.Collections.Concurrent;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>
/// The next pending recipients of each workspace's broadcasts, kept between dispatcher runs (one run per send when the
/// queue is paced) so that a run does not re-read a page of 100 rows and their number-check answers for its one send.
/// Only a hint: every send still claims its row with the conditional UPDATE (Pending, contact not opted out), so a row
/// sent, cancelled or claimed elsewhere meanwhile is passed over. A run takes its workspace's entry for itself and puts
/// it back when it ends, so two runs never share one queue; an entry older than <see cref="Ttl"/> is read again.
/// </summary>
public sealed class BroadcastDispatchCache(TimeProvider clock)
{
    /// <summary>How long a page of candidates may be reused: also how stale a stored number-check answer in it may be.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<Guid, Entry> _byWorkspace = new();

    internal sealed record Entry(long ReadAt, Dictionary<Guid, Queue<BroadcastDispatcher.Candidate>> Next);

    /// <summary>The workspace's candidates if still fresh, removed so that no other run uses them meanwhile.</summary>
    internal Entry? Take(Guid workspaceId) =>
        _byWorkspace.TryRemove(workspaceId, out var entry) && !IsStale(entry) ? entry : null;

    internal void Return(Guid workspaceId, Entry entry)
    {
        if (entry.Next.Values.Any(q => q.Count > 0) && !IsStale(entry))
            _byWorkspace[workspaceId] = entry;
    }

    /// <summary>Read longer than <see cref="Ttl"/> ago: a run that held its queue for a while reads its pages again.</summary>
    internal bool IsStale(Entry entry) => clock.GetElapsedTime(entry.ReadAt) >= Ttl;

    internal Entry Fresh() => new(clock.GetTimestamp(), new Dictionary<Guid, Queue<BroadcastDispatcher.Candidate>>());

    /// <summary>Forgets a workspace's candidates (a change the conditional claim would not see, such as edited texts).</summary>
    public void Forget(Guid workspaceId) => _byWorkspace.TryRemove(workspaceId, out _);
}
