namespace KelolaPesan.Web.Components.Shared;

/// <summary>
/// Turns a burst of realtime events into few refreshes, without delaying the first one: an event on an idle
/// page refreshes at once (leading edge); events that arrive while that refresh runs, or within
/// <c>delay</c> of its start, only mark the state dirty, and one trailing refresh follows when the interval
/// is over. So a lone message shows immediately and a burst costs at most one refresh per interval, and an
/// event is never lost: whatever arrives after a refresh started is covered by the next one.
/// </summary>
public sealed class RefreshCoalescer(TimeSpan delay, Func<Task> flush, ILogger? logger = null, TimeProvider? time = null) : IDisposable
{
    /// <summary>The shortest gap between the starts of two refreshes.</summary>
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromMilliseconds(100);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private bool _running;
    private bool _dirty;
    private bool _disposed;

    /// <summary>True from a refresh's start until its interval is over with nothing left to do.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_lock)
                return _running;
        }
    }

    public void Schedule()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            if (_running)
            {
                _dirty = true;
                return;
            }
            _running = true;
        }
        // Off the caller's thread: the publisher (webhook ingest, a send) never waits for a page's refresh.
        _ = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        while (true)
        {
            var started = _time.GetTimestamp();
            try
            {
                await flush();
            }
            catch (Exception ex)
            {
                // A closed circuit throws here; the next event (or none) decides what happens next.
                logger?.LogDebug(ex, "Coalesced refresh failed");
            }
            var rest = delay - _time.GetElapsedTime(started);
            if (rest > TimeSpan.Zero)
                await Task.Delay(rest, _time);
            lock (_lock)
            {
                if (_disposed || !_dirty)
                {
                    _running = false;
                    return;
                }
                _dirty = false;
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
            _disposed = true;
    }
}
