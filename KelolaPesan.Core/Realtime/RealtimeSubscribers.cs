using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Realtime;

/// <summary>
/// This node's subscribers by topic, each with a bounded queue of its own drained off the publisher's thread: a slow or
/// failing handler (a closed circuit, a query) cannot slow the publisher (webhook processing) nor the other subscribers.
/// A subscriber that falls <see cref="QueueCapacity"/> events behind loses the newest ones (logged): the events say
/// "something changed, re-read", so a subscriber that catches up re-reads the current state anyway. Subscribers of the
/// platform topics are the app's own workers (outgoing webhooks turn events into stored work), which only hand the event
/// to a queue of their own: their queues are unbounded, so they never lose one.
/// Both buses (in-process, Redis) deliver through it. A subscriber's handler runs in the execution context it subscribed
/// in, not the publisher's: a page redraws in its own user's language (the culture flows with the context), where it
/// took the language of whoever sent the message.
/// </summary>
public sealed class RealtimeSubscribers(ILogger logger)
{
    public const int QueueCapacity = 1_000;

    private readonly ConcurrentDictionary<string, ImmutableList<Subscriber>> _topics = new();

    /// <summary>Topics with at least one subscriber (empty ones are removed, or per-chat topics would pile up forever).</summary>
    public int TopicCount => _topics.Count;

    public IDisposable Subscribe(string topic, Func<RealtimeEvent, Task> handler)
    {
        var subscriber = new Subscriber(topic, handler, logger);
        _topics.AddOrUpdate(topic, _ => [subscriber], (_, list) => list.Add(subscriber));
        return new Subscription(() =>
        {
            subscriber.Close();
            var left = _topics.AddOrUpdate(topic, _ => [], (_, list) => list.Remove(subscriber));
            // Removes the topic only if it is still this empty list: a subscriber that came in meanwhile keeps it.
            if (left.IsEmpty)
                _topics.TryRemove(KeyValuePair.Create(topic, left));
        });
    }

    /// <summary>Queues the event for every subscriber of every topic but the platform ones (whose subscribers are not pages).</summary>
    public void DeliverToEveryTopic(RealtimeEvent evt)
    {
        foreach (var topic in _topics.Keys.Where(t => t is not Topics.Platform and not Topics.PublishedHere))
            Deliver(topic, evt);
    }

    /// <summary>Queues the event for every subscriber of the topic; never waits for a handler and never throws.</summary>
    public void Deliver(string topic, RealtimeEvent evt)
    {
        if (!_topics.TryGetValue(topic, out var subscribers))
            return;
        foreach (var subscriber in subscribers)
            subscriber.Post(evt);
    }

    private sealed class Subscriber(string topic, Func<RealtimeEvent, Task> handler, ILogger logger)
    {
        private readonly Channel<RealtimeEvent> _queue = topic is Topics.Platform or Topics.PublishedHere
            ? Channel.CreateUnbounded<RealtimeEvent>(new UnboundedChannelOptions { SingleReader = true })
            : Channel.CreateBounded<RealtimeEvent>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

        /// <summary>The subscriber's own (its culture, its circuit's): captured when it subscribed; null where flow was suppressed.</summary>
        private readonly ExecutionContext? _context = ExecutionContext.Capture();

        private int _draining;
        private int _dropping;
        private volatile bool _closed;

        public void Post(RealtimeEvent evt)
        {
            if (_closed)
                return;
            if (!_queue.Writer.TryWrite(evt))
            {
                // One line per overflow, not one per dropped event: a stuck subscriber under a burst would flood the log.
                if (Interlocked.Exchange(ref _dropping, 1) == 0)
                    logger.LogWarning("Realtime subscriber of {Topic} is {Capacity} events behind; dropping new events until it catches up", topic, QueueCapacity);
                return;
            }
            if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
                StartDrain();
        }

        private void StartDrain()
        {
            if (_context is null)
                _ = Task.Run(DrainAsync);
            else
                ExecutionContext.Run(_context, static state => _ = Task.Run(((Subscriber)state!).DrainAsync), this);
        }

        public void Close()
        {
            _closed = true;
            _queue.Writer.TryComplete();
        }

        /// <summary>One drain at a time per subscriber (events reach it in order); ends when the queue is empty.</summary>
        private async Task DrainAsync()
        {
            while (true)
            {
                while (!_closed && _queue.Reader.TryRead(out var evt))
                {
                    try
                    {
                        await handler(evt);
                    }
                    catch (Exception ex)
                    {
                        // A closed circuit's handler may throw; the next events must still reach it.
                        logger.LogWarning(ex, "Realtime subscriber of {Topic} failed on {Event}", topic, evt.GetType().Name);
                    }
                }
                Interlocked.Exchange(ref _dropping, 0);
                Volatile.Write(ref _draining, 0);
                // An event written after the last TryRead and before the flag was cleared found the flag still set:
                // take the drain back if anything is waiting, unless another post already did.
                if (_closed || !_queue.Reader.TryPeek(out _) || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
                    return;
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
