using System.Threading.Channels;
using KelolaPesan.Core.Instagram;

namespace KelolaPesan.Web.Webhooks;

/// <summary>Ids of stored Instagram events waiting for the worker. Only a hint: the rows are the truth, swept at start-up.</summary>
public sealed class InstagramWebhookQueue
{
    private readonly Channel<Guid> _channel = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(Guid eventId) => _channel.Writer.TryWrite(eventId);

    public ChannelReader<Guid> Reader => _channel.Reader;
}

/// <summary>
/// Processes stored Instagram webhooks after they were answered, one at a time in arrival order, plus a sweep at
/// start-up and every <see cref="SweepInterval"/> for rows a crash or failure left, which also sends the comment
/// replies waiting for the hourly limit or a back-off.
/// </summary>
public sealed class InstagramWebhookWorker(InstagramWebhookQueue queue, IServiceScopeFactory scopes, IConfiguration config, ILogger<InstagramWebhookWorker> logger)
    : BackgroundService
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = double.TryParse(config["Instagram:SweepSeconds"], System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0
            ? TimeSpan.FromSeconds(s) : SweepInterval;
        await SweepAsync(TimeSpan.Zero, stoppingToken);
        using var timer = new PeriodicTimer(interval);
        var sweeping = SweepLoopAsync(timer, interval, stoppingToken);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (queue.Reader.TryRead(out var id))
                    await RunAsync(p => p.GetRequiredService<InstagramEventProcessor>().ProcessAsync(id, stoppingToken), "event " + id);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await sweeping;
    }

    private async Task SweepLoopAsync(PeriodicTimer timer, TimeSpan interval, CancellationToken ct)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                await SweepAsync(interval, ct);
                await RunAsync(p => p.GetRequiredService<CommentReplyService>().SendDueAsync(ct), "queued comment replies");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SweepAsync(TimeSpan olderThan, CancellationToken ct) =>
        await RunAsync(async p =>
        {
            foreach (var id in await p.GetRequiredService<InstagramEventProcessor>().PendingAsync(olderThan, 10_000, ct))
                queue.Enqueue(id);
        }, "sweep");

    private async Task RunAsync(Func<IServiceProvider, Task> work, string what)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await work(scope.ServiceProvider);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Instagram webhook work failed: {What}", what);
        }
    }
}
