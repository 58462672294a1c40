using KelolaPesan.Core.Realtime;
using StackExchange.Redis;

namespace KelolaPesan.Web.Realtime;

/// <summary>
/// The realtime bus across nodes (<c>Redis:Configuration</c> set): a publish goes to one Redis pub/sub channel and every
/// node, the publishing one included, hands it to its own subscribers when it comes back, so each subscriber hears it
/// once. One channel for all topics: every node needs every event anyway (the platform topic hears them all).
/// Publishing never waits for Redis nor throws: a failure is logged once per outage and the event is still handed to
/// this node's subscribers; the multiplexer reconnects and restores the subscription by itself.
/// </summary>
public sealed class RedisRealtimeBus : IRealtimeBus, IDisposable
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("kelola:realtime");

    private readonly IConnectionMultiplexer _redis;
    private readonly RealtimeEventJson _json;
    private readonly ILogger<RedisRealtimeBus> _logger;
    private readonly RealtimeSubscribers _subscribers;
    private readonly Lock _gate = new();
    private ChannelMessageQueue? _queue;
    private Timer? _retry;
    private int _failing;
    private bool _disposed;

    public RedisRealtimeBus(IConnectionMultiplexer redis, RealtimeEventJson json, ILogger<RedisRealtimeBus> logger)
    {
        _redis = redis;
        _json = json;
        _logger = logger;
        _subscribers = new RealtimeSubscribers(logger);
        _redis.ConnectionRestored += OnConnectionRestored;
        Listen();
    }

    /// <summary>
    /// The subscription is back after an outage: events the other nodes published meanwhile never reached this node's
    /// pages, which would wait for the next event to catch up (an agent could miss a customer in a quiet workspace).
    /// </summary>
    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Subscription)
            return;
        _logger.LogInformation("Redis realtime subscription restored: open pages on this node read again");
        _subscribers.DeliverToEveryTopic(new BackplaneResumed());
    }

    public IDisposable Subscribe(string topic, Func<RealtimeEvent, Task> handler) => _subscribers.Subscribe(topic, handler);

    public Task PublishAsync(string topic, RealtimeEvent evt)
    {
        var fanOut = topic is not Topics.Platform and not Topics.PublishedHere;
        // Heard here only, so never through Redis (see Topics.PublishedHere).
        if (topic == Topics.PublishedHere || fanOut)
            _subscribers.Deliver(Topics.PublishedHere, evt);
        if (topic == Topics.PublishedHere)
            return Task.CompletedTask;

        string message;
        try
        {
            message = _json.Serialize(topic, evt);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Realtime event {Event} could not be serialized for Redis; delivered on this node only", evt.GetType().Name);
            DeliverHere(topic, evt);
            return Task.CompletedTask;
        }

        try
        {
            // Not awaited: the command is queued in order on the connection now, and the publisher (webhook processing)
            // must not wait for Redis, least of all during an outage.
            _ = _redis.GetSubscriber().PublishAsync(Channel, message).ContinueWith(
                (sent, state) => ((RedisRealtimeBus)state!).Published(sent, topic, evt), this,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        catch (Exception ex)
        {
            Failed(ex, topic, evt);
        }
        return Task.CompletedTask;
    }

    private void Published(Task sent, string topic, RealtimeEvent evt)
    {
        if (sent.Exception is { } ex)
        {
            Failed(ex.GetBaseException(), topic, evt);
            return;
        }
        if (Interlocked.Exchange(ref _failing, 0) == 1)
            _logger.LogInformation("Redis realtime backplane reachable again: events reach the other nodes");
    }

    /// <summary>
    /// Redis did not take the event: this node's subscribers still hear it (the agents on this node keep their live
    /// view); the other nodes miss it. A timeout is ambiguous (Redis may have sent it, and this node would hear it
    /// twice), so only a refused publish is delivered here.
    /// </summary>
    private void Failed(Exception ex, string topic, RealtimeEvent evt)
    {
        if (Interlocked.Exchange(ref _failing, 1) == 0)
            _logger.LogWarning(ex, "Redis realtime backplane unreachable: events reach this node only until it is back (logged once per outage)");
        if (ex is not RedisTimeoutException)
            DeliverHere(topic, evt);
    }

    private void DeliverHere(string topic, RealtimeEvent evt)
    {
        _subscribers.Deliver(topic, evt);
        if (topic != Topics.Platform)
            _subscribers.Deliver(Topics.Platform, evt);
    }

    private void OnMessage(ChannelMessage message)
    {
        string topic;
        RealtimeEvent evt;
        try
        {
            (topic, evt) = _json.Deserialize(message.Message.ToString());
        }
        catch (Exception ex)
        {
            // A newer node's event this one does not know (rolling deploy), or a foreign publisher on the channel.
            _logger.LogWarning(ex, "Ignored a realtime message from Redis this node cannot read");
            return;
        }
        DeliverHere(topic, evt);
    }

    /// <summary>
    /// Subscribes once; the multiplexer restores the subscription after a reconnect. Redis down at start: retried every
    /// few seconds until it answers (the app starts without Redis, events stay on this node meanwhile).
    /// </summary>
    private void Listen()
    {
        lock (_gate)
        {
            if (_disposed || _queue is not null)
                return;
            try
            {
                _queue = _redis.GetSubscriber().Subscribe(Channel);
                _queue.OnMessage(OnMessage);
                _retry?.Dispose();
                _retry = null;
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Could not subscribe to the Redis realtime channel yet; retrying");
                _retry ??= new Timer(_ => Listen(), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _redis.ConnectionRestored -= OnConnectionRestored;
            _retry?.Dispose();
            try
            {
                _queue?.Unsubscribe();
            }
            catch (Exception)
            {
                // Shutting down with Redis gone.
            }
        }
    }
}
