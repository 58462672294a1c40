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
    private const int MaxEventsPerRound = 500;

    private readonly Channel<RealtimeEvent?> _events = Channel.CreateUnbounded<RealtimeEvent?>(new UnboundedChannelOptions { SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Events published on this node only: with several nodes each event becomes outgoing webhooks once, on the node
        // that published it, not once per node (docs/adr/0016).
        using var subscription = bus.Subscribe(Topics.PublishedHere, evt =>
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
            // What queued up meanwhile is handled in one scope, with one subscriptions query for all its tenants, and due
            // deliveries are sent once: an inbound burst (every message is an event) would otherwise cost a scope and
            // queries per message. Deliveries are looked for only when this round queued some or the sweep came.
            while (await _events.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(options.RoundDelay, stoppingToken);
                var round = new List<RealtimeEvent>();
                var sweep = false;
                while (round.Count < MaxEventsPerRound && _events.Reader.TryRead(out var evt))
                {
                    if (evt is null)
                        sweep = true;
                    else
                        round.Add(evt);
                }
                await using var scope = scopes.CreateAsyncScope();
                var translator = scope.ServiceProvider.GetRequiredService<WebhookEventTranslator>();
                var queued = 0;
                try
                {
                    await translator.LoadSubscriptionsAsync(round, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Each event then asks for its tenant's on its own.
                    logger.LogError(ex, "Reading the webhook subscriptions of {Count} events failed", round.Count);
                }
                foreach (var evt in round)
                {
                    try
                    {
                        queued += await translator.HandleAsync(evt, stoppingToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        logger.LogError(ex, "Outgoing webhooks failed on {Event}", evt.GetType().Name);
                    }
                }
                if (queued == 0 && !sweep)
                    continue;
                try
                {
                    await scope.ServiceProvider.GetRequiredService<OutgoingWebhookService>().DeliverDueAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Delivering due outgoing webhooks failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
