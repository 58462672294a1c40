namespace KelolaPesan.Web.Components.Shared;

/// <summary>
/// Turns a burst of realtime events into one refresh: the first event starts a short timer, later ones
/// only mark the state dirty, and the flush runs once when the timer fires. An event that arrives during a
/// flush schedules the next one, so nothing is missed and nothing renders per event.
/// </summary>
public sealed class RefreshCoalescer(TimeSpan delay, Func<Task> flush, ILogger? logger = null) : IDisposable
{
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromMilliseconds(200);

    private int _scheduled;
    private volatile bool _disposed;

    public void Schedule()
    {
        if (!_disposed && Interlocked.Exchange(ref _scheduled, 1) == 0)
            _ = RunAsync();
    }

    private async Task RunAsync()
    {
        await Task.Delay(delay);
        Interlocked.Exchange(ref _scheduled, 0);
        if (_disposed)
            return;
        try
        {
            await flush();
        }
        catch (Exception ex)
        {
            // A closed circuit throws here; the next event (or none) decides what happens next.
            logger?.LogDebug(ex, "Coalesced refresh failed");
        }
    }

    public void Dispose() => _disposed = true;
}
