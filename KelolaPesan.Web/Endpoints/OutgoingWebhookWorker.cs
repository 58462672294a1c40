using System.Threading.Channels;
using KelolaPesan.Core.ExternalApi;
using KelolaPesan.Core.Realtime;

namespace KelolaPesan.Web.Endpoints;

/// <summary>
/// Listens to the platform topic of the realtime bus (every tenant's events), queues outgoing webhook deliveries
/// and delivers due ones; a periodic sweep retries failures after their backoff and picks up rows left by a restart.
/// </summary>
public sealed class OutgoingWebhookWorker(IRealtimeBus bus, IServiceScopeFactory scopes, OutgoingWebhookOptions options,
    ILogger<OutgoingWebhookWorker> logger) : BackgroundService
{
    private readonly Channel<RealtimeEvent?> _events = Channel.CreateUnbounded<RealtimeEvent?>(new UnboundedChannelOptions { SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = bus.Subscribe(Topics.Platform, evt =>
        {
            if (WebhookEventTranslator.Carries(evt))
                _events.Writer.TryWrite(evt);
            return Task.CompletedTask;
        });
        using var timer = new PeriodicTimer(options.SweepInterval);
        _ = Task.Run(async () =>
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                _events.Writer.TryWrite(null);
        }, stoppingToken);

        try
        {
            await foreach (var evt in _events.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    if (evt is not null)
                        await scope.ServiceProvider.GetRequiredService<WebhookEventTranslator>().HandleAsync(evt, stoppingToken);
                    await scope.ServiceProvider.GetRequiredService<OutgoingWebhookService>().DeliverDueAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Outgoing webhooks failed on {Event}", evt?.GetType().Name ?? "sweep");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
