using System.Globalization;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Web.Realtime;
using Microsoft.Extensions.Logging.Abstractions;
using static KelolaPesan.Tests.Realtime.RedisBackplaneTests;

namespace KelolaPesan.Tests.Realtime;

/// <summary>Subscribers run off the publisher's thread (the in-process bus; the Redis one in <see cref="RedisBackplaneTests"/>).</summary>
public sealed class RealtimeDeliveryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public Task InProcess_ABlockedSubscriber_DelaysNeitherThePublisherNorAnotherSubscriber()
    {
        var bus = new InProcessRealtimeBus(NullLogger<InProcessRealtimeBus>.Instance);
        return ABlockedSubscriber_DelaysNeitherThePublisherNorAnotherSubscriber(bus, bus);
    }

    [Fact]
    public async Task AHandler_RunsInItsSubscribersCulture_NotThePublishers()
    {
        var bus = new InProcessRealtimeBus(NullLogger<InProcessRealtimeBus>.Instance);
        var topic = Topics.Workspace(Guid.NewGuid());
        var heard = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            // A page of an English-speaking user subscribes; a colleague working in Indonesian sends the message.
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");
            using var page = bus.Subscribe(topic, _ =>
            {
                heard.TrySetResult(CultureInfo.CurrentUICulture.Name + "/" + CultureInfo.CurrentCulture.Name);
                return Task.CompletedTask;
            });
            await Task.Run(async () =>
            {
                CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("id");
                await bus.PublishAsync(topic, new ChatChanged(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()));
            });

            Assert.Equal("en/en", await heard.Task.WaitAsync(Patience));
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = before;
        }
    }

    [Fact]
    public async Task InProcess_AFailingSubscriber_StillHearsTheNextEvent_AndTheOthersHearEverything()
    {
        var bus = new InProcessRealtimeBus(NullLogger<InProcessRealtimeBus>.Instance);
        var topic = Topics.Workspace(Guid.NewGuid());
        var failing = new Recorder();
        using var s1 = bus.Subscribe(topic, async e =>
        {
            await failing.Handle(e);
            throw new InvalidOperationException("circuit gone");
        });
        var fine = new Recorder();
        using var s2 = bus.Subscribe(topic, fine.Handle);
        var platform = new Recorder();
        using var s3 = bus.Subscribe(Topics.Platform, platform.Handle);

        var first = new ChatChanged(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var second = new ChatChanged(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await bus.PublishAsync(topic, first);
        await bus.PublishAsync(topic, second);

        await failing.HeardAsync(second);
        await fine.HeardAsync(second);
        await platform.HeardAsync(second);
        Assert.Equal([first, second], failing.All);
        Assert.Equal([first, second], fine.All);
        Assert.Equal([first, second], platform.All);
    }

    [Fact]
    public async Task InProcess_ASubscriberFarBehind_LosesTheNewestEvents_ButThePublisherNeverWaits()
    {
        var bus = new InProcessRealtimeBus(NullLogger<InProcessRealtimeBus>.Instance);
        var topic = Topics.Tenant(Guid.NewGuid());
        using var release = new ManualResetEventSlim();
        var heard = 0;
        using var stuck = bus.Subscribe(topic, _ =>
        {
            Interlocked.Increment(ref heard);
            release.Wait(TimeSpan.FromSeconds(30));
            return Task.CompletedTask;
        });

        // Far more than a queue holds, while the first event blocks the stuck subscriber.
        for (var i = 0; i < RealtimeSubscribers.QueueCapacity * 3; i++)
            await bus.PublishAsync(topic, new UnreadCountsChanged(Guid.NewGuid(), Guid.NewGuid()));
        release.Set();

        // It catches up with what its queue kept (the event it was blocked in, and a queue's worth).
        for (var waited = 0; waited < 15_000 && Volatile.Read(ref heard) < RealtimeSubscribers.QueueCapacity; waited += 20)
            await Task.Delay(20);
        Assert.InRange(Volatile.Read(ref heard), RealtimeSubscribers.QueueCapacity, RealtimeSubscribers.QueueCapacity + 1);
    }

    [Fact]
    public async Task InProcess_APlatformSubscriberFarBehind_LosesNothing()
    {
        // The outgoing webhook worker listens there: a lost event would be a webhook never sent.
        var bus = new InProcessRealtimeBus(NullLogger<InProcessRealtimeBus>.Instance);
        using var release = new ManualResetEventSlim();
        var heard = 0;
        using var worker = bus.Subscribe(Topics.PublishedHere, _ =>
        {
            release.Wait(TimeSpan.FromSeconds(30));
            Interlocked.Increment(ref heard);
            return Task.CompletedTask;
        });
        var published = RealtimeSubscribers.QueueCapacity * 3;
        for (var i = 0; i < published; i++)
            await bus.PublishAsync(Topics.Workspace(Guid.NewGuid()), new ChatChanged(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()));
        release.Set();

        for (var waited = 0; waited < 15_000 && Volatile.Read(ref heard) < published; waited += 20)
            await Task.Delay(20);
        Assert.Equal(published, Volatile.Read(ref heard));
    }

    /// <summary>
    /// A subscriber that blocks its thread until released: the publisher returns and another subscriber of the same
    /// topic hears the next event while it is still blocked (it is released only after both were seen).
    /// </summary>
    internal static async Task ABlockedSubscriber_DelaysNeitherThePublisherNorAnotherSubscriber(IRealtimeBus publisher, IRealtimeBus subscribers)
    {
        var topic = Topics.Tenant(Guid.NewGuid());
        using var release = new ManualResetEventSlim();
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var slow = subscribers.Subscribe(topic, _ =>
        {
            blocked.TrySetResult();
            // Blocks the thread outright (a synchronous query, a dead circuit), at most 30 s if the test fails first.
            release.Wait(TimeSpan.FromSeconds(30));
            return Task.CompletedTask;
        });
        var quick = new Recorder();
        using var fast = subscribers.Subscribe(topic, quick.Handle);

        var first = new UnreadCountsChanged(Guid.NewGuid(), Guid.NewGuid());
        var second = new UnreadCountsChanged(Guid.NewGuid(), Guid.NewGuid());
        try
        {
            await publisher.PublishAsync(topic, first).WaitAsync(Patience);
            await blocked.Task.WaitAsync(Patience);
            // The slow subscriber is inside its handler now: publishing and the other subscriber go on regardless.
            await publisher.PublishAsync(topic, second).WaitAsync(Patience);
            await quick.HeardAsync(second);
            Assert.False(release.IsSet);
            Assert.Equal([first, second], quick.All);
        }
        finally
        {
            release.Set();
        }
    }
}
