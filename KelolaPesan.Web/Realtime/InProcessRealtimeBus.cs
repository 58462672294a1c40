using System.Collections.Concurrent;
using System.Collections.Immutable;
using KelolaPesan.Core.Realtime;

namespace KelolaPesan.Web.Realtime;

/// <summary>
/// The single-node realtime bus: a singleton handing out disposable subscriptions (like eShop's
/// order-status notifier). Several nodes would put a Redis backplane behind the same port.
/// </summary>
public sealed class InProcessRealtimeBus(ILogger<InProcessRealtimeBus> logger) : IRealtimeBus
{
    private readonly ConcurrentDictionary<string, ImmutableList<Func<RealtimeEvent, Task>>> _topics = new();

    public IDisposable Subscribe(string topic, Func<RealtimeEvent, Task> handler)
    {
        _topics.AddOrUpdate(topic, _ => [handler], (_, list) => list.Add(handler));
        return new Subscription(() => Unsubscribe(topic, handler));
    }

    /// <summary>Topics with at least one subscriber (empty ones are removed, or per-chat topics would pile up forever).</summary>
    internal int TopicCount => _topics.Count;

    private void Unsubscribe(string topic, Func<RealtimeEvent, Task> handler)
    {
        var left = _topics.AddOrUpdate(topic, _ => [], (_, list) => list.Remove(handler));
        // Removes the topic only if it is still this empty list: a subscriber that came in meanwhile keeps it.
        if (left.IsEmpty)
            _topics.TryRemove(KeyValuePair.Create(topic, left));
    }

    public async Task PublishAsync(string topic, RealtimeEvent evt)
    {
        // Platform subscribers (outgoing webhooks) hear every tenant's events without one subscription per workspace.
        if (topic != Topics.Platform)
            await PublishAsync(Topics.Platform, evt);
        if (!_topics.TryGetValue(topic, out var handlers))
            return;
        foreach (var handler in handlers)
        {
            try
            {
                await handler(evt);
            }
            catch (Exception ex)
            {
                // A closed circuit's handler may throw; the other subscribers must still hear the event.
                logger.LogWarning(ex, "Realtime subscriber of {Topic} failed on {Event}", topic, evt.GetType().Name);
            }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                dispose();
        }
    }
}
