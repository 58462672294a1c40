using KelolaPesan.Core.Webhooks;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Realtime;

namespace KelolaPesan.Tests.Webhooks;

/// <summary><see cref="WebhookKeyCache.Forget"/> on one node drops the key on the others (through the bus).</summary>
public sealed class WebhookKeyCacheAcrossNodesTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task ForgettingOnA_MakesBReadTheKeyAgain()
    {
        await using var a = ScaleOutNode.Start(redis.Configuration);
        await using var b = ScaleOutNode.Start(redis.Configuration);
        await RedisBackplaneTests.ConnectedAsync(a, b);
        await ForgettingOnOneCache_MakesTheOtherReadTheKeyAgain(a.WebhookKeys, b.WebhookKeys);
    }

    [Fact]
    public async Task OneNode_ForgettingStillWorks_ThroughTheInProcessBus()
    {
        await using var node = ScaleOutNode.Start(redisConfiguration: null);
        await ForgettingOnOneCache_MakesTheOtherReadTheKeyAgain(node.WebhookKeys, node.WebhookKeys);
    }

    private static async Task ForgettingOnOneCache_MakesTheOtherReadTheKeyAgain(WebhookKeyCache forgetting, WebhookKeyCache reading)
    {
        var workspace = Guid.NewGuid();
        var stored = new WorkspaceKey(Guid.NewGuid(), workspace, "old-key");
        var loads = 0;
        Task<WorkspaceKey?> Load(Guid id)
        {
            Interlocked.Increment(ref loads);
            return Task.FromResult<WorkspaceKey?>(Volatile.Read(ref stored));
        }

        Assert.Equal("old-key", (await reading.GetAsync(workspace, Load))!.HmacKey);
        Assert.Equal("old-key", (await reading.GetAsync(workspace, Load))!.HmacKey);
        Assert.Equal(1, loads);

        // The key rotates (stored first, then forgotten, as WorkspaceService does), well within the cache lifetime.
        Volatile.Write(ref stored, stored with { HmacKey = "new-key" });
        forgetting.Forget(workspace);

        // 10 s, a third of the cache lifetime: the new key shows because the entry was dropped, not because it aged out.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((await reading.GetAsync(workspace, Load))!.HmacKey != "new-key")
        {
            Assert.True(DateTime.UtcNow < deadline, "the other cache still answered the old key after 10 s");
            await Task.Delay(20);
        }
    }
}
