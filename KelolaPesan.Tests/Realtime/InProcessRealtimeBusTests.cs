using KelolaPesan.Core.Realtime;
using KelolaPesan.Web.Realtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace KelolaPesan.Tests.Realtime;

public sealed class InProcessRealtimeBusTests
{
    [Fact]
    public async Task TopicsWithoutSubscribers_AreRemoved_AndAKeptSubscriberStillHears()
    {
        var bus = new InProcessRealtimeBus(NullLogger<InProcessRealtimeBus>.Instance);
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var kept = bus.Subscribe("chat:kept", _ => { heard.TrySetResult(); return Task.CompletedTask; });

        // Every opened and closed conversation subscribes to a topic of its own.
        await Parallel.ForAsync(0, 20_000, (i, _) =>
        {
            var topic = $"chat:{Guid.NewGuid():N}";
            var first = bus.Subscribe(topic, _ => Task.CompletedTask);
            var second = bus.Subscribe(topic, _ => Task.CompletedTask);
            first.Dispose();
            second.Dispose();
            second.Dispose();
            return ValueTask.CompletedTask;
        });

        Assert.Equal(1, bus.TopicCount);
        await bus.PublishAsync("chat:kept", new TestEvent());
        await heard.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private sealed record TestEvent : RealtimeEvent;
}
