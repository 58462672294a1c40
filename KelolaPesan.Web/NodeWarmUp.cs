using System.Diagnostics;
using System.Text;
using System.Text.Json;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Webhooks;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection;

namespace KelolaPesan.Web;

/// <summary>
/// Several nodes (Redis configured): before the node listens, it runs once what the first webhook would otherwise pay
/// for (a node's first message took 1.2 s against 0.1-0.2 s warm): the database pool and EF's model, the ingest's key
/// lookup and the processor's claim, inbound messages processed for real and rolled back (<see cref="WarmUpMessagesAsync"/>),
/// the Data Protection key ring, and the Redis connection (a publish every node receives). A hosted service's start runs before Kestrel's, so <c>/health</c> answers only once this is done and a
/// proxy sends the node nothing cold; then <see cref="NodeWarmUpServer"/> sends a webhook POST through the request pipeline. Nothing is written; a step that fails is logged and the start goes on. One node
/// without Redis starts as before (<c>Node:WarmUp</c> turns it on or off either way).
/// </summary>
public sealed class NodeWarmUp(IServiceScopeFactory scopes, IRealtimeBus bus, IDataProtectionProvider protection, DatabaseSettings database, ILogger<NodeWarmUp> logger)
    : IHostedService
{
    public const string SettingKey = "Node:WarmUp";

    /// <summary>A workspace id no row has: each lookup finds nothing, and every node's key cache forgets nothing.</summary>
    public static readonly Guid NoWorkspace = new("00000000-0000-7000-8000-00000000a7a7");

    private int ParallelWarmUps => database.Provider == DatabaseProvider.Sqlite ? 1 : 3;

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
            // The writer's own connection and prepared INSERT, open before the first webhook needs them.
            scope.ServiceProvider.GetRequiredService<WebhookEventWriter>().Start();
        });
        // On a server database, on several connections at once: a message's processing holds two or three, and each
        // PostgreSQL backend warms its own caches (measured: the first message after a one-connection warm-up still took
        // 5-20 times a warm one's per stage). SQLite has one writer: once.
        await StepAsync("message processing", () => Task.WhenAll(Enumerable.Range(0, ParallelWarmUps).Select(_ => WarmUpMessagesAsync(cancellationToken))));
        await StepAsync("data protection", () =>
        {
            var protector = protection.CreateProtector("KelolaPesan.WarmUp");
            protector.Unprotect(protector.Protect("warm-up"));
            // The webhook's key lookup opens the workspace's secret under its own purpose.
            using var scope = scopes.CreateScope();
            var secrets = scope.ServiceProvider.GetRequiredService<ISecretProtector>();
            secrets.Unprotect(WorkspaceService.WebhookSecretPurpose, secrets.Protect(WorkspaceService.WebhookSecretPurpose, "warm-up"));
            return Task.CompletedTask;
        });
        await StepAsync("realtime bus", () => bus.PublishAsync(Topics.Platform, new WebhookKeyChanged(NoWorkspace)));
        logger.LogInformation("Node warmed up in {Milliseconds:0} ms", total.Elapsed.TotalMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// What a node's first inbound messages would otherwise pay for (measured: the first message's processing took 5.6 s
    /// on a loaded machine, and held the next one up): a throwaway tenant, workspace and owner, three WhatsApp events
    /// stored with the webhook writer's prepared insert, processed by the real processor (one on its own: a new chat;
    /// two as a batch: a known chat), then the inbox reads a page makes when told (the shell's counters, the chat
    /// list). All of it in one transaction that is rolled back (<see cref="RolledBackScope"/>): nothing is left, and
    /// the realtime events it publishes name a tenant nobody subscribes to.
    /// </summary>
    /// <returns>How many of the three events were processed without error, and how many chats the inbox read found (3 and 1).</returns>
    public async Task<MessageWarmUp> WarmUpMessagesAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        // Before anything else of this scope asks for a database: from here its factory hands out the rolled-back one.
        await using var rolledBack = services.GetRequiredService<RolledBackScope>();
        await rolledBack.BeginAsync(ct);
        var factory = services.GetRequiredService<IKelolaDbFactory>();
        var clock = Stopwatch.StartNew();

        var session = "kelola-warm-up-" + Guid.NewGuid().ToString("N");
        var licence = new Licence { Name = "Warm-up", CodePrefix = "W" + Guid.NewGuid().ToString("N")[..10], CodeHash = [1] };
        var tenant = new Tenant { Name = "Warm-up", LicenceId = licence.Id };
        var workspace = new Workspace { TenantId = tenant.Id, Name = "Warm-up", ExternalSessionId = session };
        var owner = new AppUser { TenantId = tenant.Id, Username = "warm-up", DisplayName = "Warm-up", Role = UserRole.Owner };
        var events = Enumerable.Range(0, 3).Select(i => Event(tenant.Id, workspace.Id, session, i)).ToList();
        await using (var db = factory.CreateSystem())
        {
            db.Licences.Add(licence);
            db.Tenants.Add(tenant);
            db.Workspaces.Add(workspace);
            db.Users.Add(owner);
            db.WorkspaceMembers.Add(new WorkspaceMember { TenantId = tenant.Id, WorkspaceId = workspace.Id, UserId = owner.Id });
            await db.SaveChangesAsync(ct);
            await using var insert = await services.GetRequiredService<IBulkInserter>().PrepareAsync<InboundWebhookEvent>(db, WebhookEventWriter.MaxBatch, ct);
            await insert.InsertAsync(events, ct);
        }
        var stored = clock.Elapsed;

        var processor = services.GetRequiredService<WhatsAppEventProcessor>();
        await processor.ProcessBatchAsync([events[0].Id], ct);
        var first = clock.Elapsed;
        await processor.ProcessBatchAsync([events[1].Id, events[2].Id], ct);
        var batch = clock.Elapsed;

        int processed;
        await using (var db = factory.CreateSystem())
            processed = await db.InboundWebhookEvents.CountAsync(e => e.WorkspaceId == workspace.Id && e.ProcessedAt != null && e.Error == null, ct);
        if (processed != events.Count)
            logger.LogWarning("Warm-up: {Processed} of {Count} events were processed", processed, events.Count);

        services.GetRequiredService<TenantContext>().SetTenant(tenant.Id);
        await services.GetRequiredService<WorkspaceDirectory>().ListForUserAsync(owner.Id, UserRole.Owner, ct);
        var chats = await services.GetRequiredService<InboxService>().ListChatsAsync(new InboxViewer(owner.Id, UserRole.Owner), new ChatListQuery(workspace.Id), ct);
        logger.LogInformation(
            "Warm-up: events stored in {Stored:0} ms, the first processed in {First:0} ms, a batch of two in {Batch:0} ms, the inbox read in {Read:0} ms ({Chats} chat); rolled back",
            stored.TotalMilliseconds, (first - stored).TotalMilliseconds, (batch - first).TotalMilliseconds, (clock.Elapsed - batch).TotalMilliseconds, chats.Items.Count);
        return new MessageWarmUp(processed, chats.Items.Count);
    }

    /// <summary>A WhatsApp "message" event as WAHA posts it, from a customer of the warm-up workspace.</summary>
    private static InboundWebhookEvent Event(Guid tenantId, Guid workspaceId, string session, int index)
    {
        var now = DateTimeOffset.UtcNow;
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            id = "evt_warm_up_" + Guid.NewGuid().ToString("N"),
            timestamp = now.ToUnixTimeMilliseconds(),
            @event = "message",
            session,
            payload = new
            {
                id = $"false_6280000000000@c.us_WARMUP{index}{Guid.NewGuid():N}",
                timestamp = now.ToUnixTimeSeconds(),
                from = "6280000000000@c.us",
                to = "6280000000001@c.us",
                fromMe = false,
                body = "Pemanasan " + index,
                hasMedia = false,
                ack = 1,
                _data = new { notifyName = "Warm-up" },
            },
        });
        WebhookSignature.Verify(body, "warm-up", WebhookSignature.Compute(body, "warm-up"));
        var (key, type) = WhatsAppWebhookIngest.KeyOf(workspaceId, body);
        return new InboundWebhookEvent
        {
            Source = WebhookSource.WhatsApp, EventKey = key, EventType = type, TenantId = tenantId, WorkspaceId = workspaceId,
            Payload = Encoding.UTF8.GetString(body), ReceivedAt = now, CreatedAt = now, UpdatedAt = now,
        };
    }

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

/// <summary>What <see cref="NodeWarmUp.WarmUpMessagesAsync"/> saw before it rolled back.</summary>
public sealed record MessageWarmUp(int ProcessedEvents, int ListedChats);
