using KelolaPesan.Core.Realtime;

namespace KelolaPesan.Web.Components.Pages.Broadcasts;

/// <summary>
/// Listens on a topic and reloads at most a few times a second: a running broadcast publishes per send, and the page
/// only needs the latest state. Dispose with the component.
/// </summary>
public sealed class CoalescedRefresh : IAsyncDisposable
{
    public static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(250);
    private readonly IDisposable _subscription;
    private readonly PeriodicTimer _timer = new(Frame);
    private readonly Task _loop;
    private int _dirty;

    public CoalescedRefresh(IRealtimeBus bus, string topic, Func<Task> reload)
    {
        _subscription = bus.Subscribe(topic, _ =>
        {
            Interlocked.Exchange(ref _dirty, 1);
            return Task.CompletedTask;
        });
        _loop = LoopAsync(reload);
    }

    private async Task LoopAsync(Func<Task> reload)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync())
                if (Interlocked.Exchange(ref _dirty, 0) == 1)
                    await reload();
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away mid-reload.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        _timer.Dispose();
        await _loop;
    }
}
