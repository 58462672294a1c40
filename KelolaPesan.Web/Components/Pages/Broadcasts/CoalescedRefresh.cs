using KelolaPesan.Core.Realtime;
using KelolaPesan.Web.Components.Shared;

namespace KelolaPesan.Web.Components.Pages.Broadcasts;

/// <summary>
/// Listens on a topic and reloads at most a few times a second: a running broadcast publishes per send, and the page
/// only needs the latest state. The coalescing is the inbox's (<see cref="RefreshCoalescer"/>): no timer ticks while
/// nothing happens. Dispose with the component.
/// </summary>
public sealed class CoalescedRefresh : IAsyncDisposable
{
    public static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(250);
    private readonly RefreshCoalescer _coalescer;
    private readonly IDisposable _subscription;

    public CoalescedRefresh(IRealtimeBus bus, string topic, Func<Task> reload)
    {
        _coalescer = new RefreshCoalescer(Frame, reload);
        _subscription = bus.Subscribe(topic, _ =>
        {
            _coalescer.Schedule();
            return Task.CompletedTask;
        });
    }

    public ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        _coalescer.Dispose();
        return ValueTask.CompletedTask;
    }
}
