namespace KelolaPesan.Tests.Infrastructure;

public sealed class RedisServerTests
{
    [Fact]
    public async Task Starts_AnswersPing_AndIsGoneAfterDispose()
    {
        var server = await RedisServer.StartAsync();
        var port = server.Port;
        Assert.True(await RedisServer.PingAsync(port));
        Assert.True(Directory.Exists(server.Folder));

        await server.DisposeAsync();

        Assert.False(await RedisServer.PingAsync(port));
        Assert.False(Directory.Exists(server.Folder));
    }

    [Fact]
    public async Task Kill_AndRestart_KeepThePort()
    {
        await using var server = await RedisServer.StartAsync();
        server.Kill();
        Assert.False(await RedisServer.PingAsync(server.Port));

        await server.RestartAsync();

        Assert.True(await RedisServer.PingAsync(server.Port));
    }
}
