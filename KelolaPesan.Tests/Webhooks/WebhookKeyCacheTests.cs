using KelolaPesan.Core.Webhooks;

namespace KelolaPesan.Tests.Webhooks;

public sealed class WebhookKeyCacheTests
{
    [Fact]
    public async Task AFloodOfRandomWorkspaceIds_StaysWithinTheCapacity_AndRealKeysStillVerify()
    {
        using var cache = new WebhookKeyCache(TimeProvider.System);
        var real = new WorkspaceKey(Guid.NewGuid(), Guid.NewGuid(), "k");
        Task<WorkspaceKey?> Load(Guid id) => Task.FromResult(id == real.WorkspaceId ? real : null);

        // Misses for ids nobody owns, as an anonymous caller of /webhooks/whatsapp could send them.
        for (var i = 0; i < WebhookKeyCache.Capacity * 3; i++)
        {
            Assert.Null(await cache.GetAsync(Guid.NewGuid(), Load));
            Assert.True(cache.Count <= WebhookKeyCache.Capacity, $"{cache.Count} entries after {i + 1} ids");
        }

        Assert.Equal(real, await cache.GetAsync(real.WorkspaceId, Load));
        Assert.Equal(real, await cache.GetAsync(real.WorkspaceId, Load));
    }
}
