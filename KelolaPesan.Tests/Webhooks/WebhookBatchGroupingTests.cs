using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Webhooks;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Webhooks;

/// <summary>
/// One dequeued batch of events spread over several workspaces of two tenants (as traffic spread round robin arrives):
/// applied in one transaction (docs/adr/0026), each event once, each chat's messages in order, each tenant's rows its own.
/// </summary>
public sealed class WebhookBatchGroupingTests : IAsyncLifetime
{
    private const string Me = "6280000000001@c.us";
    private CoreServiceHost _host = null!;
    private readonly List<(Guid Tenant, Workspace Workspace)> _workspaces = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
    }

    /// <summary>Two workspaces of the host's tenant and one of a second tenant.</summary>
    private async Task StartAsync(DatabaseProvider provider)
    {
        _host = await CoreServiceHost.CreateAsync(provider: provider);
        _workspaces.Add((_host.TenantId, await _host.AddWorkspaceAsync("Toko A")));
        _workspaces.Add((_host.TenantId, await _host.AddWorkspaceAsync("Toko B")));
        var other = await _host.Database.SeedAsync(db =>
        {
            var tenant = Seed.Tenant(db, "Lain");
            return (tenant.Id, tenant.Workspace("Toko Lain", Seed.NewSession()));
        });
        _workspaces.Add(other);
    }

    private async Task<Guid> StoreAsync((Guid Tenant, Workspace Workspace) target, string eventName, JsonNode payload)
    {
        var result = await _host.InScopeAsync(sp => sp.GetRequiredService<WhatsAppWebhookIngest>()
            .StoreAsync(target.Tenant, target.Workspace.Id, FakeWahaServer.Envelope(eventName, target.Workspace.ExternalSessionId!, payload)));
        return Assert.IsType<Guid>(result.EventId);
    }

    private Task ProcessAsync(IReadOnlyList<Guid> ids) =>
        _host.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<WhatsAppEventProcessor>().ProcessBatchAsync(ids);
            return true;
        });

    private static string Customer(int n) => $"62812345678{n}@c.us";

    [Theory, Providers]
    public async Task ABatchOverSeveralWorkspacesAndTenants_AppliesEveryEventOnce_EachChatInOrder(DatabaseProvider provider)
    {
        await StartAsync(provider);
        // Every message's arrival announced in realtime, and each announcement must find its message committed.
        var announced = new ConcurrentBag<(Guid Workspace, Guid Message, bool Committed)>();
        var bus = _host.Services.GetRequiredService<IRealtimeBus>();
        var subscriptions = _workspaces.Select(w => bus.Subscribe(Topics.Workspace(w.Workspace.Id), async e =>
        {
            if (e is not ChatMessageAdded added)
                return;
            await using var db = _host.Database.CreateSystem();
            announced.Add((added.WorkspaceId, added.MessageId, await db.Messages.AnyAsync(m => m.Id == added.MessageId)));
        })).ToList();

        // Round robin over the three workspaces, two customers each, increasing times; in the middle a session status of
        // the second workspace and an echo of our own message in the first (both go one by one, after what came before).
        var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600;
        var ids = new List<Guid>();
        var expected = _workspaces.ToDictionary(w => w.Workspace.Id, _ => new Dictionary<string, List<string>>());
        for (var i = 0; i < 18; i++)
        {
            var target = _workspaces[i % 3];
            var customer = Customer(i / 3 % 2);
            var body = $"pesan {i} untuk {target.Workspace.Name}";
            ids.Add(await StoreAsync(target, "message", FakeWahaServer.MessagePayload($"m-{i}", customer, Me, body, timestamp: start + i)));
            var chat = expected[target.Workspace.Id].TryGetValue(customer, out var list) ? list : expected[target.Workspace.Id][customer] = [];
            chat.Add(body);
            if (i == 7)
                ids.Add(await StoreAsync(_workspaces[1], "session.status", new JsonObject { ["status"] = "WORKING" }));
            if (i == 9)
            {
                ids.Add(await StoreAsync(_workspaces[0], "message.any",
                    FakeWahaServer.MessagePayload("own-1", Me, Customer(1), "balasan kami", fromMe: true, timestamp: start + i)));
                expected[_workspaces[0].Workspace.Id][Customer(1)].Add("balasan kami");
            }
        }

        await ProcessAsync(ids);
        await ProcessAsync(ids);

        await using var db = _host.Database.CreateSystem();
        var events = await db.InboundWebhookEvents.Where(e => ids.Contains(e.Id)).ToListAsync();
        Assert.Equal(ids.Count, events.Count);
        Assert.All(events, e => Assert.Equal((1, true, (string?)null), (e.Attempts, e.ProcessedAt is not null, e.Error)));
        Assert.Empty(await _host.InScopeAsync(sp => sp.GetRequiredService<WhatsAppEventProcessor>().PendingAsync(TimeSpan.Zero, 100)));

        foreach (var (tenantId, workspace) in _workspaces)
        {
            var messages = await db.Messages.Where(m => m.WorkspaceId == workspace.Id).ToListAsync();
            Assert.All(messages, m => Assert.Equal(tenantId, m.TenantId));
            var chats = await db.Chats.Where(c => c.WorkspaceId == workspace.Id).ToListAsync();
            Assert.All(chats, c => Assert.Equal(tenantId, c.TenantId));
            Assert.Equal(2, chats.Count);
            foreach (var chat in chats)
            {
                var customer = chat.ExternalChatId;
                var bodies = expected[workspace.Id][customer];
                var stored = messages.Where(m => m.ChatId == chat.Id).OrderBy(m => m.SentAt).ThenBy(m => m.Direction).Select(m => m.Body).ToList();
                Assert.Equal(bodies, stored);
                Assert.Equal(bodies[^1], chat.LastMessagePreview);
                Assert.Equal(messages.Count(m => m.ChatId == chat.Id && m.Direction == MessageDirection.Inbound), chat.UnreadCount);
            }
            var counters = await db.Workspaces.Where(w => w.Id == workspace.Id).Select(w => new { w.UnreadMessages, w.UnreadChats, w.ConnectionStatus }).SingleAsync();
            Assert.Equal((6, 2), (counters.UnreadMessages, counters.UnreadChats));
            if (workspace.Id == _workspaces[1].Workspace.Id)
                Assert.Equal(ConnectionStatus.Connected, counters.ConnectionStatus);
        }

        // Positive marker: every stored message announced (18 customers' and the echo), each after its commit.
        var workspaceIds = _workspaces.Select(w => w.Workspace.Id).ToList();
        var storedIds = await db.Messages.Where(m => workspaceIds.Contains(m.WorkspaceId)).Select(m => m.Id).ToListAsync();
        Assert.Equal(19, storedIds.Count);
        var until = DateTime.UtcNow.AddSeconds(30);
        while (announced.Count < storedIds.Count && DateTime.UtcNow < until)
            await Task.Delay(20);
        subscriptions.ForEach(s => s.Dispose());
        Assert.Equal(storedIds.Order(), announced.Select(a => a.Message).Order());
        Assert.All(announced, a => Assert.True(a.Committed));
    }

    // The opt-out hook runs only where the sender is a contact, looked up once per tenant for the whole batch: a contact
    // of the second tenant's workspace who writes STOP amid other workspaces' traffic is opted out; the same number
    // writing STOP to another tenant's workspace, where it is no contact, changes nothing there.
    [Theory, Providers]
    public async Task AnOptOutAmidOtherWorkspacesTraffic_OptsOutTheContactOfItsOwnWorkspaceOnly(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var (otherTenant, otherWorkspace) = _workspaces[2];
        var phone = "+" + Customer(0).Split('@')[0];
        var contactId = await _host.Database.SeedAsync(db => Seed.In(db, otherTenant).Contact(otherWorkspace.Id, phone, "Pelanggan").Id);

        var ids = new List<Guid>();
        for (var i = 0; i < 9; i++)
        {
            var target = _workspaces[i % 3];
            var body = i is 4 or 5 ? "STOP" : $"pesan {i}";
            ids.Add(await StoreAsync(target, "message", FakeWahaServer.MessagePayload($"s-{i}", Customer(0), Me, body)));
        }
        await ProcessAsync(ids);

        await using var db = _host.Database.CreateSystem();
        Assert.All(await db.InboundWebhookEvents.Where(e => ids.Contains(e.Id)).ToListAsync(), e => Assert.Equal((1, true), (e.Attempts, e.ProcessedAt is not null)));
        var contact = await db.Contacts.SingleAsync(c => c.Id == contactId);
        Assert.True(contact.OptedOut);
        Assert.Equal(1, await db.Contacts.CountAsync(c => c.Phone == phone));
    }

    // Acks go together in one transaction after the batch's other events: an ack that arrived before the echo of its
    // message (our own send, seen from the phone) finds it, a later lower ack never moves it back, and the same gateway
    // id in other workspaces and another tenant is left alone. An ack of a message nobody has stays for a retry.
    [Theory, Providers]
    public async Task AcksInABatch_ApplyAfterTheirMessages_EachToItsOwnWorkspace(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var ids = new List<Guid>();
        Task<Guid> Ack(int workspace, string id, int ack) =>
            StoreAsync(_workspaces[workspace], "message.ack", new JsonObject { ["id"] = id, ["from"] = Customer(0), ["fromMe"] = true, ["ack"] = ack });
        ids.Add(await Ack(0, "own", 3));
        ids.Add(await Ack(1, "own", 2));
        for (var w = 0; w < 3; w++)
            ids.Add(await StoreAsync(_workspaces[w], "message.any", FakeWahaServer.MessagePayload("own", Me, Customer(0), $"kabar {w}", fromMe: true)));
        ids.Add(await Ack(0, "own", 2));
        var unknown = await Ack(2, "never-sent", 2);
        ids.Add(unknown);
        var changed = new ConcurrentBag<ChatMessageStatusChanged>();
        var bus = _host.Services.GetRequiredService<IRealtimeBus>();
        var subscriptions = _workspaces.Select(w => bus.Subscribe(Topics.Workspace(w.Workspace.Id), e =>
        {
            if (e is ChatMessageStatusChanged c)
                changed.Add(c);
            return Task.CompletedTask;
        })).ToList();

        await ProcessAsync(ids);

        await using var db = _host.Database.CreateSystem();
        var statuses = new List<MessageStatus>();
        foreach (var (tenantId, workspace) in _workspaces)
        {
            var message = await db.Messages.SingleAsync(m => m.WorkspaceId == workspace.Id && m.ExternalMessageId == "own");
            Assert.Equal(tenantId, message.TenantId);
            statuses.Add(message.Status);
        }
        Assert.Equal([MessageStatus.Read, MessageStatus.Delivered, MessageStatus.Sent], statuses);
        var events = await db.InboundWebhookEvents.Where(e => ids.Contains(e.Id)).ToListAsync();
        Assert.All(events.Where(e => e.Id != unknown), e => Assert.Equal((1, true, (string?)null), (e.Attempts, e.ProcessedAt is not null, e.Error)));
        var left = events.Single(e => e.Id == unknown);
        Assert.Equal((1, false, "The acknowledged message is not known yet."), (left.Attempts, left.ProcessedAt is not null, left.Error));

        var until = DateTime.UtcNow.AddSeconds(30);
        while (changed.Count < 2 && DateTime.UtcNow < until)
            await Task.Delay(20);
        subscriptions.ForEach(s => s.Dispose());
        Assert.Equal([(_workspaces[0].Workspace.Id, MessageStatus.Read), (_workspaces[1].Workspace.Id, MessageStatus.Delivered)],
            changed.Select(c => (c.WorkspaceId, c.Status)).OrderBy(c => c.Status == MessageStatus.Read ? 0 : 1).ToList());
    }
}
