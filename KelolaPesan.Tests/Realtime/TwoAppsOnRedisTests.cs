using System.Net;
using System.Net.Http.Headers;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.ExternalApi;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Realtime;

/// <summary>
/// Two real app hosts (Kestrel) on one PostgreSQL database and one real redis-server: the bus and the API rate limit
/// work across them. (Two processes behind a proxy, with browsers, are the two-node tests in scripts/test.sh.)
/// </summary>
public sealed class TwoAppsOnRedisTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const int Permits = 6;

    [PostgresFact]
    public async Task AnEventOnAppA_ReachesAppB_AndTheApiBudgetIsShared()
    {
        var storage = Directory.CreateTempSubdirectory("kelola-shared-").FullName;
        await using var a = await (await NodeAsync(storage).UseProviderAsync(DatabaseProvider.Postgres)).StartedAsync();
        await using var b = await NodeAsync(storage)
            .WithSetting("Database:Provider", nameof(DatabaseProvider.Postgres))
            .WithSetting("ConnectionStrings:Kelola", PostgresTestServer.ConnectionStringFor(a.PostgresDatabase!))
            // The demo data is A's to make: B starts on the database A made.
            .WithSetting("Demo:Disabled", "true")
            .StartedAsync();
        var busA = a.Services.GetRequiredService<IRealtimeBus>();
        var busB = b.Services.GetRequiredService<IRealtimeBus>();
        Assert.IsType<RedisRealtimeBus>(busA);
        Assert.IsType<RedisRealtimeBus>(busB);

        var tenant = Guid.NewGuid();
        var heardOnB = new TaskCompletionSource<RealtimeEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = busB.Subscribe(Topics.Tenant(tenant), e => { heardOnB.TrySetResult(e); return Task.CompletedTask; });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var sent = new UnreadCountsChanged(tenant, Guid.NewGuid());
        // Until B's subscription to Redis is live (it subscribes at start; a positive marker, not a sleep).
        while (!heardOnB.Task.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < deadline, "app B never heard app A through Redis");
            await busA.PublishAsync(Topics.Tenant(tenant), sent);
            await Task.WhenAny(heardOnB.Task, Task.Delay(300));
        }
        Assert.Equal(sent, await heardOnB.Task);

        var key = await CreateKeyAsync(a);
        using var clientA = Client(a, key);
        using var clientB = Client(b, key);
        for (var i = 0; i < Permits; i++)
        {
            using var ok = await (i % 2 == 0 ? clientA : clientB).GetAsync("/api/v1/workspaces");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var limited = await clientB.GetAsync("/api/v1/workspaces");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        using var alsoOnA = await clientA.GetAsync("/api/v1/workspaces");
        Assert.Equal(HttpStatusCode.TooManyRequests, alsoOnA.StatusCode);
    }

    private KelolaAppFactory NodeAsync(string storage) => new KelolaAppFactory()
        .WithSetting(ScaleOut.RedisKey, redis.Configuration)
        .WithSetting(ScaleOut.StorageKey, storage)
        .WithSetting("Api:RateLimit:PermitsPerMinute", Permits.ToString());

    private static async Task<string> CreateKeyAsync(KelolaAppFactory app)
    {
        Guid tenantId;
        await using (var scope = app.Services.CreateAsyncScope())
        await using (var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem())
            tenantId = (await db.Workspaces.FirstAsync()).TenantId;
        await using var tenantScope = app.Services.CreateAsyncScope();
        tenantScope.ServiceProvider.GetRequiredService<TenantContext>().SetTenant(tenantId);
        var result = await tenantScope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("two nodes", null, AuditActor.System);
        Assert.True(result.Succeeded, result.Error);
        return result.FullKey!;
    }

    private static HttpClient Client(KelolaAppFactory app, string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}

internal static class StartedFactory
{
    public static async Task<KelolaAppFactory> StartedAsync(this KelolaAppFactory app)
    {
        await app.StartAsync();
        return app;
    }
}
