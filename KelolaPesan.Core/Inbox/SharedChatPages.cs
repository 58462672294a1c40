namespace KelolaPesan.Core.Inbox;

/// <summary>What makes two chat-list reads return the same rows: the tenant, whose visibility (null: an owner's or
/// manager's, the same for all of them in a tenant) and the query itself, cursor included.</summary>
public readonly record struct SharedChatPageKey(Guid TenantId, Guid? ViewerId, ChatListQuery Query);

/// <summary>
/// One read of a chat-list page serves every open inbox that refreshes for the same event (issue 21): a message in a
/// workspace makes each of its N open pages reload the top of its list, and those N reads would return the same rows.
/// A caller says how fresh the page must be with a mark taken when its event arrived (<see cref="Mark"/>); a read of
/// the same page that started after that mark answers, still running or done, because events are published after
/// their commit and a read started later sees them. Otherwise a new read starts. Marks are a sequence, not a clock,
/// so "after" is exact even for reads and events within the same tick.
/// </summary>
public sealed class SharedChatPages
{
    // Entries are only ever served to callers whose mark is older than the read, so keeping them is safe; they are
    // swept only to bound memory (a page is ~50 rows).
    private const int SweepAbove = 256;
    private const long KeepMs = 10_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<SharedChatPageKey, Entry> _entries = [];
    private long _sequence;

    /// <summary>The mark to give <see cref="ReadAsync"/>: a read that starts from now on is fresh enough.</summary>
    public long Mark() => Interlocked.Read(ref _sequence);

    /// <summary>
    /// The page for <paramref name="key"/> from a read started after <paramref name="mark"/>: one running or done, or
    /// a new one by <paramref name="read"/>. The read runs on its own, not cancelled with the caller that started it,
    /// since others may be waiting for it; a caller that waited for another's read and saw it fail reads for itself.
    /// </summary>
    public async Task<ChatPage> ReadAsync(SharedChatPageKey key, long mark, Func<Task<ChatPage>> read, CancellationToken ct)
    {
        Task<ChatPage> task;
        bool mine;
        lock (_lock)
        {
            mine = !(_entries.TryGetValue(key, out var entry) && entry.Started > mark && !entry.Read.IsFaulted && !entry.Read.IsCanceled);
            if (mine)
            {
                if (_entries.Count >= SweepAbove)
                    Sweep();
                // The read starts only after the sequence moved past every mark taken so far.
                var started = Interlocked.Increment(ref _sequence);
                entry = new Entry(started, Environment.TickCount64, Task.Run(read, CancellationToken.None));
                _entries[key] = entry;
            }
            task = entry!.Read;
        }
        try
        {
            return await task.WaitAsync(ct);
        }
        catch (Exception) when (!mine && !ct.IsCancellationRequested)
        {
            return await read();
        }
    }

    private void Sweep()
    {
        var now = Environment.TickCount64;
        foreach (var (key, entry) in _entries)
            if (entry.Read.IsCompleted && now - entry.At > KeepMs)
                _entries.Remove(key);
    }

    private sealed record Entry(long Started, long At, Task<ChatPage> Read);
}
