using KelolaPesan.Core.Instagram;

namespace KelolaPesan.Web.Webhooks;

/// <summary>The same queue for stored Instagram events, a service of its own so the two workers each read theirs.</summary>
public sealed class InstagramWebhookQueue : WebhookEventQueue;

/// <summary>
/// Processes stored Instagram webhooks after they were answered, one at a time in arrival order, plus a sweep at
/// start-up and every <see cref="SweepInterval"/> for rows a crash or failure left, which also sends the comment
/// replies waiting for the hourly limit or a back-off; a workspace named by <see cref="CommentReplyQueueSignal"/> (a reconnect)
/// has its queued replies sent at once.
/// </summary>
public sealed class InstagramWebhookWorker(InstagramWebhookQueue queue, CommentReplyQueueSignal replySignal, IServiceScopeFactory scopes,
    IConfiguration config, ILogger<InstagramWebhookWorker> logger)
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
        var signalled = SignalLoopAsync(stoppingToken);
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
        await signalled;
    }

    private async Task SignalLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var (tenantId, workspaceId) in replySignal.Reader.ReadAllAsync(ct))
                await RunAsync(p => p.GetRequiredService<CommentReplyService>().SendQueuedAsync(tenantId, workspaceId, ct), "replies of workspace " + workspaceId);
        }
        catch (OperationCanceledException)
        {
        }
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
