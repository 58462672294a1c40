using KelolaPesan.Core.Webhooks;

namespace KelolaPesan.Web.Webhooks;

/// <summary>
/// Processes stored WhatsApp events after their webhook was answered: fed by <see cref="WebhookEventQueue"/>,
/// plus a sweep at start-up and every <see cref="SweepInterval"/> for rows a crash or a failure left unprocessed, and
/// a second try after <see cref="WhatsAppEventProcessor.UnknownAckRetry"/> for an ack that overtook its message.
/// One reader, so the events of a chat are applied in the order they arrived.
/// </summary>
public sealed class WebhookEventProcessorService(WebhookEventQueue queue, IServiceScopeFactory scopes, ILogger<WebhookEventProcessorService> logger)
    : BackgroundService
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);
    public const int MaxBatch = 100;

    /// <summary>
    /// How long a short batch waits for more events before it runs. A batch's fixed costs (its queries, one counter
    /// update per chat, the commit, marking the rows) are paid once whatever its size; without the wait, a burst
    /// was processed a handful at a time (as many as had been stored since the last run) and processing, not
    /// storing, set the rate. Latency to the inbox grows by at most this much.
    /// </summary>
    public static readonly TimeSpan GatherWindow = TimeSpan.FromMilliseconds(25);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await SweepAsync(TimeSpan.Zero, stoppingToken);
        using var sweep = new PeriodicTimer(SweepInterval);
        var sweeping = SweepLoopAsync(sweep, stoppingToken);
        try
        {
            // What has queued up while the last batch ran is processed together (one transaction per batch).
            var batch = new List<Guid>(MaxBatch);
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && queue.Reader.TryRead(out var id))
                    batch.Add(id);
                if (batch.Count < MaxBatch)
                {
                    await Task.Delay(GatherWindow, stoppingToken);
                    while (batch.Count < MaxBatch && queue.Reader.TryRead(out var id))
                        batch.Add(id);
                }
                await ProcessAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await sweeping;
    }

    private async Task ProcessAsync(IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var retry = await scope.ServiceProvider.GetRequiredService<WhatsAppEventProcessor>().ProcessBatchAsync(ids, ct);
            if (retry.Count > 0)
                _ = RetryLaterAsync(retry, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "{Count} WhatsApp events could not be processed (first {EventId})", ids.Count, ids[0]);
        }
    }

    private async Task RetryLaterAsync(IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        try
        {
            await Task.Delay(WhatsAppEventProcessor.UnknownAckRetry, ct);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        foreach (var id in ids)
            queue.Enqueue(id);
    }

    private async Task SweepLoopAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
                await SweepAsync(SweepInterval, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Re-queues unprocessed rows older than <paramref name="olderThan"/> (fresh ones are still in the queue).</summary>
    private async Task SweepAsync(TimeSpan olderThan, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var pending = await scope.ServiceProvider.GetRequiredService<WhatsAppEventProcessor>().PendingAsync(olderThan, 10_000, ct);
            foreach (var id in pending)
                queue.Enqueue(id);
            if (pending.Count > 0)
                logger.LogInformation("Re-queued {Count} unprocessed WhatsApp events", pending.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Sweeping unprocessed WhatsApp events failed");
        }
    }
}
