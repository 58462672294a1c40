namespace KelolaPesan.Core.Webhooks;

/// <summary>
/// The turn taken by each write of the webhook path (storing a batch of raw events, applying a batch to the inbox,
/// marking events processed), in process, instead of at the database's write lock. SQLite's busy handler waits by
/// sleeping in growing steps: in a burst the processor, looping, took the free lock again while the writer slept,
/// so webhooks were answered a few per commit (measured: 4 events per write batch, 50 ms each). Here each waits
/// its turn in order and starts the moment the other finishes. Other writers (pages, jobs) are unaffected.
/// </summary>
public sealed class IngestGate
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken ct = default)
    {
        await _turn.WaitAsync(ct);
        return new Turn(_turn);
    }

    private sealed class Turn(SemaphoreSlim turn) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                turn.Release();
        }
    }
}
