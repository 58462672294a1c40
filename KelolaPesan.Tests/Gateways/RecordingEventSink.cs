using KelolaPesan.Core.Gateways;

namespace KelolaPesan.Tests.Gateways;

/// <summary>An <see cref="IGatewayEventSink"/> that keeps every event it is given, in order.</summary>
public sealed class RecordingEventSink : IGatewayEventSink
{
    private readonly List<GatewayEvent> _events = [];

    public IReadOnlyList<GatewayEvent> Events
    {
        get
        {
            lock (_events)
                return [.. _events];
        }
    }

    public IReadOnlyList<T> Of<T>() where T : GatewayEvent => Events.OfType<T>().ToList();

    public Task OnEventAsync(GatewayEvent evt, CancellationToken ct)
    {
        lock (_events)
            _events.Add(evt);
        return Task.CompletedTask;
    }

    /// <summary>Waits (in real time) for a matching event; events raised from timers may land on another thread.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan? timeout = null) where T : GatewayEvent
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            if (Of<T>().FirstOrDefault(match) is { } found)
                return found;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"No {typeof(T).Name} matching the condition was raised; saw: {string.Join(", ", Events)}");
            await Task.Delay(10);
        }
    }
}
