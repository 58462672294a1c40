using KelolaPesan.Core.Limits;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web.Realtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Realtime;

/// <summary>Redis means several nodes: the app refuses to start on a configuration several nodes cannot share.</summary>
public sealed class ScaleOutConfigurationTests
{
    [Fact]
    public async Task RedisWithSqlite_RefusesToStart_NamingTheFix()
    {
        await using var app = new KelolaAppFactory()
            .WithSetting(ScaleOut.RedisKey, "127.0.0.1:1,abortConnect=false")
            .WithSetting(ScaleOut.StorageKey, Path.GetTempPath());

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(app.StartAsync);

        Assert.Contains("Database:Provider is Sqlite", refused.Message);
        Assert.Contains("Postgres or SqlServer", refused.Message);
    }

    [Fact]
    public async Task RedisWithoutASharedStoragePath_RefusesToStart_NamingTheFix()
    {
        // The check runs before any database connection: the connection string is never used.
        await using var app = new KelolaAppFactory()
            .WithSetting(ScaleOut.RedisKey, "127.0.0.1:1,abortConnect=false")
            .WithSetting("Database:Provider", "Postgres")
            .WithSetting("ConnectionStrings:Kelola", "Host=127.0.0.1;Port=1;Username=none;Database=none");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(app.StartAsync);

        Assert.Contains("Storage:Path is empty", refused.Message);
        Assert.Contains("shared volume", refused.Message);
    }

    [Theory]
    [InlineData(null, DatabaseProvider.Sqlite, null, null)]
    [InlineData("", DatabaseProvider.Sqlite, "", null)]
    [InlineData("redis:6379", DatabaseProvider.Sqlite, "/srv/kelola", "Sqlite")]
    [InlineData("redis:6379", DatabaseProvider.Postgres, "", "Storage:Path")]
    [InlineData("redis:6379", DatabaseProvider.Postgres, "  ", "Storage:Path")]
    [InlineData("redis:6379", DatabaseProvider.SqlServer, null, "Storage:Path")]
    [InlineData("redis:6379", DatabaseProvider.Postgres, "/srv/kelola", null)]
    [InlineData("redis:6379", DatabaseProvider.SqlServer, "/srv/kelola", null)]
    public void TheCheck_AcceptsOneNode_AndSeveralOnASharedDatabaseAndFolder(string? redis, DatabaseProvider provider, string? storage, string? problem)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ScaleOut.RedisKey] = redis,
            [ScaleOut.StorageKey] = storage,
        }).Build();

        var found = ScaleOut.ConfigurationProblem(config, provider);

        if (problem is null)
            Assert.Null(found);
        else
            Assert.Contains(problem, found);
    }

    [Fact]
    public void WithoutRedis_TheAppKeepsTheInProcessBus_AndInMemoryLimits()
    {
        var config = new ConfigurationBuilder().Build();
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System);
        services.AddScaleOut(config, DatabaseProvider.Sqlite);
        using var provider = services.BuildServiceProvider();

        Assert.IsType<InProcessRealtimeBus>(provider.GetRequiredService<IRealtimeBus>());
        Assert.IsType<MemoryLimitCounter>(provider.GetRequiredService<ILimitCounter>());
    }
}
