using System.Diagnostics;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Webhooks;
using Microsoft.AspNetCore.DataProtection;

namespace KelolaPesan.Web;

/// <summary>
/// Several nodes (Redis configured): before the node listens, it runs once what the first webhook would otherwise pay
/// for (a node's first message took 1.2 s against 0.1-0.2 s warm): the database pool and EF's model, the ingest's key
/// lookup and the processor's claim, the Data Protection key ring, and the Redis connection (a publish every node
/// receives). A hosted service's start runs before Kestrel's, so <c>/health</c> answers only once this is done and a
/// proxy sends the node nothing cold. Nothing is written; a step that fails is logged and the start goes on. One node
/// without Redis starts as before (<c>Node:WarmUp</c> turns it on or off either way).
/// </summary>
public sealed class NodeWarmUp(IServiceScopeFactory scopes, IRealtimeBus bus, IDataProtectionProvider protection, ILogger<NodeWarmUp> logger)
    : IHostedService
{
    public const string SettingKey = "Node:WarmUp";

    /// <summary>A workspace id no row has: each lookup finds nothing, and every node's key cache forgets nothing.</summary>
    public static readonly Guid NoWorkspace = new("00000000-0000-7000-8000-00000000a7a7");

    public static bool IsEnabled(IConfiguration config) =>
        config.GetValue<bool?>(SettingKey) ?? KelolaPesan.Web.Realtime.ScaleOut.UsesRedis(config);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        await StepAsync("webhook ingest", async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<WhatsAppWebhookIngest>()
                .VerifyAndStoreAsync(NoWorkspace, "{}"u8.ToArray(), null, null, null, cancellationToken);
            await scope.ServiceProvider.GetRequiredService<WhatsAppEventProcessor>().ProcessAsync(NoWorkspace, cancellationToken);
        });
        await StepAsync("data protection", () =>
        {
            var protector = protection.CreateProtector("KelolaPesan.WarmUp");
            protector.Unprotect(protector.Protect("warm-up"));
            return Task.CompletedTask;
        });
        await StepAsync("realtime bus", () => bus.PublishAsync(Topics.Platform, new WebhookKeyChanged(NoWorkspace)));
        logger.LogInformation("Node warmed up in {Milliseconds:0} ms", total.Elapsed.TotalMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task StepAsync(string name, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Warm-up step {Step} failed; the first request pays for it", name);
        }
    }
}
