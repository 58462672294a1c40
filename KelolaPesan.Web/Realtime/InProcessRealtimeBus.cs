using KelolaPesan.Core.Realtime;

namespace KelolaPesan.Web.Realtime;

/// <summary>
/// The single-node realtime bus (the default without <c>Redis:Configuration</c>): a singleton handing out disposable
/// subscriptions (like eShop's order-status notifier). Publishing only queues the event for each subscriber
/// (<see cref="RealtimeSubscribers"/>); several nodes use <see cref="RedisRealtimeBus"/> behind the same port.
/// </summary>
public sealed class InProcessRealtimeBus(ILogger<InProcessRealtimeBus> logger) : IRealtimeBus
{
    private readonly RealtimeSubscribers _subscribers = new(logger);

    public IDisposable Subscribe(string topic, Func<RealtimeEvent, Task> handler) => _subscribers.Subscribe(topic, handler);

    /// <summary>Topics with at least one subscriber (empty ones are removed, or per-chat topics would pile up forever).</summary>
    internal int TopicCount => _subscribers.TopicCount;

    public Task PublishAsync(string topic, RealtimeEvent evt)
    {
        _subscribers.Deliver(topic, evt);
        // Platform subscribers hear every tenant's events without one subscription per workspace.
        if (topic is not Topics.Platform and not Topics.PublishedHere)
        {
            _subscribers.Deliver(Topics.Platform, evt);
            _subscribers.Deliver(Topics.PublishedHere, evt);
        }
        return Task.CompletedTask;
    }
}
