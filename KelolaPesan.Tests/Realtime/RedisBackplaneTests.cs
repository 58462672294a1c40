using System.Collections.Concurrent;
using System.Reflection;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web.Realtime;

namespace KelolaPesan.Tests.Realtime;

/// <summary>Two nodes (service providers with their own Redis connections) on one real redis-server.</summary>
public sealed class RedisBackplaneTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AnEventPublishedOnA_ReachesTheSubscribersOfAOnce_AndOfBOnce()
    {
        await using var a = ScaleOutNode.Start(redis.Configuration);
        await using var b = ScaleOutNode.Start(redis.Configuration);
        Assert.IsType<RedisRealtimeBus>(a.Bus);
        await ConnectedAsync(a, b);

        var tenant = Guid.NewGuid();
        var workspace = Guid.NewGuid();
        var onA = new Recorder();
        var onB = new Recorder();
        var platformB = new Recorder();
        var hereA = new Recorder();
        var hereB = new Recorder();
        using var s1 = a.Bus.Subscribe(Topics.Workspace(workspace), onA.Handle);
        using var s2 = b.Bus.Subscribe(Topics.Workspace(workspace), onB.Handle);
        using var s3 = b.Bus.Subscribe(Topics.Platform, platformB.Handle);
        using var s4 = a.Bus.Subscribe(Topics.PublishedHere, hereA.Handle);
        using var s5 = b.Bus.Subscribe(Topics.PublishedHere, hereB.Handle);

        var chat = Guid.NewGuid();
        var published = new ChatMessageAdded(tenant, workspace, Guid.NewGuid(), Guid.NewGuid(), Core.Inbox.MessageDirection.Inbound);
        await a.Bus.PublishAsync(Topics.Workspace(workspace), published);
        // A second event after it, on the same topic from the same node: once it arrived, a duplicate of the first
        // (which Redis would have delivered before it) would have arrived too.
        var after = new ChatChanged(tenant, workspace, chat);
        await a.Bus.PublishAsync(Topics.Workspace(workspace), after);
        // And one from B: A's "published here" subscribers hear A's events only, B's hear B's.
        var fromB = new ChatChanged(tenant, workspace, Guid.NewGuid());
        await b.Bus.PublishAsync(Topics.Workspace(workspace), fromB);

        // Each node's last event from each publisher: A's and B's cross Redis on two connections, in either order.
        foreach (var recorder in new[] { onA, onB, platformB })
        {
            await recorder.HeardAsync(after);
            await recorder.HeardAsync(fromB);
        }
        await hereA.HeardAsync(after);
        await hereB.HeardAsync(fromB);
        Assert.Equal(1, onA.Count(published));
        Assert.Equal(1, onB.Count(published));
        Assert.Equal(1, platformB.Count(published));
        Assert.Equal(1, onA.Count(after));
        Assert.Equal(1, onB.Count(after));
        Assert.Equal([published, after], hereA.All);
        Assert.Equal([fromB], hereB.All);
        // The event crossed as JSON and came back as the same record (values, enum and type). Not necessarily first on B:
        // B's own event races A's through Redis.
        Assert.Equal(published, Assert.Single(onB.All.OfType<ChatMessageAdded>()));
    }

    [Fact]
    public async Task EveryCoreEvent_RoundTripsThroughTheJson()
    {
        var json = new RealtimeEventJson();
        var types = typeof(RealtimeEvent).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(RealtimeEvent).IsAssignableFrom(t)).ToList();
        Assert.True(types.Count >= 10, $"{types.Count} event records found");
        foreach (var type in types)
        {
            var ctor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
            var args = ctor.GetParameters().Select(p => Sample(p.ParameterType)).ToArray();
            var evt = (RealtimeEvent)ctor.Invoke(args);
            var (topic, back) = json.Deserialize(json.Serialize("tenant/x", evt));
            Assert.Equal("tenant/x", topic);
            Assert.Equal(evt, back);
        }
        await Task.CompletedTask;
    }

    [Fact]
    public void AnUnreadEvent_FromANodeThatSendsNoCounters_ArrivesWithoutThem()
    {
        // A node of an older build (a rolling deploy) sends the ids only: the pages re-read the counters (ShellState).
        var json = new RealtimeEventJson();
        var (tenant, workspace) = (Guid.NewGuid(), Guid.NewGuid());
        var (_, back) = json.Deserialize($$$"""
            {"topic":"tenant/{{{tenant}}}","event":{"$type":"{{{typeof(UnreadCountsChanged).FullName}}}","tenantId":"{{{tenant}}}","workspaceId":"{{{workspace}}}"}}
            """);
        Assert.Equal(new UnreadCountsChanged(tenant, workspace), back);
        Assert.Equal(new UnreadCountsChanged(tenant, workspace, 2, 5), json.Deserialize(json.Serialize("t", new UnreadCountsChanged(tenant, workspace, 2, 5))).Event);
    }

    [Fact]
    public async Task ASlowSubscriberOnB_DoesNotDelayThePublisherOnA_NorAnotherSubscriberOnB()
    {
        await using var a = ScaleOutNode.Start(redis.Configuration);
        await using var b = ScaleOutNode.Start(redis.Configuration);
        await ConnectedAsync(a, b);
        await RealtimeDeliveryTests.ABlockedSubscriber_DelaysNeitherThePublisherNorAnotherSubscriber(publisher: a.Bus, subscribers: b.Bus);
    }

    [Fact]
    public async Task ARedisOutage_IsLoggedNotThrown_ThisNodeStillHears_AndTheBusReconnects()
    {
        await using var server = await RedisServer.StartAsync();
        await using var a = ScaleOutNode.Start(server.Configuration);
        await using var b = ScaleOutNode.Start(server.Configuration);
        await ConnectedAsync(a, b);
        var topic = Topics.Tenant(Guid.NewGuid());
        var onA = new Recorder();
        var onB = new Recorder();
        using var s1 = a.Bus.Subscribe(topic, onA.Handle);
        using var s2 = b.Bus.Subscribe(topic, onB.Handle);

        server.Kill();
        var during = new UnreadCountsChanged(Guid.NewGuid(), Guid.NewGuid());
        await a.Bus.PublishAsync(topic, during);
        // This node's agents keep their live view while Redis is away.
        await onA.HeardAsync(during);

        await server.RestartAsync();
        // The multiplexer reconnects and restores the subscription by itself: B hears A again.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        UnreadCountsChanged back;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "B did not hear A again within 60 s of Redis coming back");
            back = new UnreadCountsChanged(Guid.NewGuid(), Guid.NewGuid());
            await a.Bus.PublishAsync(topic, back);
        }
        while (!await onB.TryHearAsync(back, TimeSpan.FromMilliseconds(500)));
        // What A published during the outage never reached B: B's pages were told to read again (records compare by value).
        Assert.Contains(new BackplaneResumed(), onB.All);
        Assert.DoesNotContain(during, onB.All);
    }

    [Fact]
    public async Task AChangeOfAccessOnNodeA_WakesTheAccountsOpenPagesOnNodeB_AndAnOwnSignOutDoesNot()
    {
        await using var a = ScaleOutNode.Start(redis.Configuration);
        await using var b = ScaleOutNode.Start(redis.Configuration);
        await ConnectedAsync(a, b);
        var (member, signedOut) = (Guid.NewGuid(), Guid.NewGuid());
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var wrongly = 0;
        using var watch = b.Access.Watch(member, isAdmin: false, () => woken.TrySetResult());
        using var other = b.Access.Watch(signedOut, isAdmin: false, () => Interlocked.Increment(ref wrongly));

        a.Access.Forget(signedOut, isAdmin: false, wakeOpenPages: false);
        a.Access.Forget(member, isAdmin: false);

        // Events reach B in order: the own sign-out came first and woke nothing.
        await woken.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, wrongly);
    }

    /// <summary>Both nodes hear each other (their Redis subscriptions are live).</summary>
    internal static async Task ConnectedAsync(params ScaleOutNode[] nodes)
    {
        var topic = "probe/" + Guid.NewGuid().ToString("N");
        var recorders = nodes.Select(_ => new Recorder()).ToArray();
        var subscriptions = nodes.Select((n, i) => n.Bus.Subscribe(topic, recorders[i].Handle)).ToList();
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            foreach (var from in nodes)
            {
                while (true)
                {
                    var probe = new ChatChanged(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
                    await from.Bus.PublishAsync(topic, probe);
                    var heard = await Task.WhenAll(recorders.Select(r => r.TryHearAsync(probe, TimeSpan.FromMilliseconds(500))));
                    if (heard.All(h => h))
                        break;
                    Assert.True(DateTime.UtcNow < deadline, "the nodes did not hear each other through Redis within 30 s");
                }
            }
        }
        finally
        {
            subscriptions.ForEach(s => s.Dispose());
        }
    }

    private static object? Sample(Type type) =>
        type == typeof(Guid) ? Guid.NewGuid()
        : type == typeof(string) ? "teks"
        : type == typeof(int) ? 7
        : type == typeof(long) ? 7L
        : type == typeof(bool) ? true
        : type == typeof(DateTimeOffset) ? new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero)
        : type.IsEnum ? Enum.GetValues(type).GetValue(Enum.GetValues(type).Length - 1)
        : Nullable.GetUnderlyingType(type) is { } inner ? Sample(inner)
        : type.IsValueType ? Activator.CreateInstance(type) : null;

    /// <summary>What a subscriber heard, in order; waits for a given event (a positive marker).</summary>
    internal sealed class Recorder
    {
        private readonly List<RealtimeEvent> _heard = [];
        private readonly ConcurrentDictionary<RealtimeEvent, TaskCompletionSource> _waits = new();

        public Task Handle(RealtimeEvent evt)
        {
            lock (_heard)
                _heard.Add(evt);
            Wait(evt).TrySetResult();
            return Task.CompletedTask;
        }

        public RealtimeEvent[] All
        {
            get { lock (_heard) return [.. _heard]; }
        }

        public int Count(RealtimeEvent evt) => All.Count(e => e.Equals(evt));

        public Task HeardAsync(RealtimeEvent evt) => Wait(evt).Task.WaitAsync(Patience);

        public async Task<bool> TryHearAsync(RealtimeEvent evt, TimeSpan within)
        {
            try
            {
                await Wait(evt).Task.WaitAsync(within);
                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
        }

        private TaskCompletionSource Wait(RealtimeEvent evt) =>
            _waits.GetOrAdd(evt, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
