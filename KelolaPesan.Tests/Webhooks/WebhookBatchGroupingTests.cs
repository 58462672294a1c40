using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Webhooks;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Webhooks;

/// <summary>
/// One dequeued batch of events spread over several workspaces of two tenants (as traffic spread round robin arrives):
/// applied in one transaction (docs/adr/0026), each event once, each chat's messages in order, each tenant's rows its own.
/// </summary>
public sealed class WebhookBatchGroupingTests : WebhookBatchTests
{
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

    // The opt-out hook runs only where the sender is a contact, looked up once for the whole batch: a contact
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

        // The ack of a message not known yet is handed back for a second try within seconds.
        Assert.Equal([unknown], await ProcessAsync(ids));

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

    // Our own messages' echoes go in the batch with the customers' (every paced send comes back as one): a broadcast's and
    // a sequence's make their chats outside the lists, a message typed on the phone reveals a chat only a broadcast had
    // made, an echo that overtakes the inbox's own send gives that row its gateway id, one that overtakes the write of a
    // recipient's gateway id is still the broadcast's, and only customers' messages count as unread. The same gateway id
    // in another tenant, where no broadcast sent it, is a phone's message there. Who sent them is asked once for the
    // whole batch, whichever tenants (by gateway id, then by number), not per echo or tenant.
    [Theory, Providers]
    public async Task EchoesInABatch_TakeTheirOrigin_ClaimTheWaitingSend_AndCountNothingUnread(DatabaseProvider provider)
    {
        var reads = new ReadCounter();
        await StartAsync(provider, reads);
        var (tenantId, workspace) = _workspaces[0];
        var phone = (int n) => "+" + Customer(n).Split('@')[0];
        var (waiting, waitingChat, revealedChat) = await _host.Database.SeedAsync(db =>
        {
            var seed = Seed.In(db, tenantId);
            var broadcast = new Broadcast { TenantId = tenantId, WorkspaceId = workspace.Id, Name = "Promo", Status = BroadcastStatus.Running, MessageTemplate = "Promo" };
            var carrier = new Broadcast { TenantId = tenantId, WorkspaceId = workspace.Id, Name = "Langkah", Status = BroadcastStatus.Running, MessageTemplate = "Hari kedua",
                SequenceStepId = Guid.CreateVersion7() };
            db.Broadcasts.AddRange(broadcast, carrier);
            BroadcastRecipient Recipient(Guid broadcastId, int customer, string text, string? externalId) => new()
            {
                TenantId = tenantId, WorkspaceId = workspace.Id, BroadcastId = broadcastId, Phone = phone(customer), RenderedText = text,
                Status = externalId is null ? RecipientStatus.Sending : RecipientStatus.Sent, ExternalMessageId = externalId,
                IdempotencyKey = $"b:{broadcastId}:{customer}", SendingAt = DateTimeOffset.UtcNow,
            };
            db.BroadcastRecipients.AddRange(Recipient(broadcast.Id, 2, "Promo hari ini", "b-1"), Recipient(carrier.Id, 3, "Hari kedua", "q-1"),
                Recipient(broadcast.Id, 5, "Promo untuk Budi", null));
            var chat = seed.Chat(workspace.Id, "Pelanggan 0", phone(0));
            var send = new Message
            {
                TenantId = tenantId, WorkspaceId = workspace.Id, ChatId = chat.Id, Direction = MessageDirection.Outbound, Origin = MessageOrigin.Agent,
                Status = MessageStatus.Pending, Body = "siap kirim", SentAt = DateTimeOffset.UtcNow,
            };
            db.Messages.Add(send);
            var broadcastOnly = seed.Chat(workspace.Id, "Pelanggan 4", phone(4), c => c.BroadcastOnly = true);
            return (send.Id, chat.Id, broadcastOnly.Id);
        });
        var claimed = new ConcurrentBag<ChatMessageStatusChanged>();
        var subscription = _host.Services.GetRequiredService<IRealtimeBus>().Subscribe(Topics.Workspace(workspace.Id), e =>
        {
            if (e is ChatMessageStatusChanged c)
                claimed.Add(c);
            return Task.CompletedTask;
        });

        var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60;
        Task<Guid> Own(int target, string id, int customer, string body, int at) =>
            StoreAsync(_workspaces[target], "message.any", FakeWahaServer.MessagePayload(id, Me, Customer(customer), body, fromMe: true, timestamp: start + at));
        var ids = new List<Guid>
        {
            await Own(0, "b-1", 2, "Promo hari ini", 0),
            await Own(0, "q-1", 3, "Hari kedua", 1),
            await Own(0, "own-0", 0, "siap kirim", 2),
            await StoreAsync(_workspaces[0], "message", FakeWahaServer.MessagePayload("c-1", Customer(1), Me, "halo", timestamp: start + 3)),
            await Own(0, "p-1", 1, "dari hp", 4),
            await Own(0, "p-4", 4, "diketik di hp", 5),
            await Own(0, "b-5", 5, "Promo untuk Budi", 6),
            await Own(2, "b-1", 2, "Promo hari ini", 7),
        };
        reads.Clear();
        await ProcessAsync(ids);
        Assert.Equal(2, reads.Reads.Count(r => r.Sql.Contains("\"BroadcastRecipients\"", StringComparison.Ordinal)));

        await using var db = _host.Database.CreateSystem();
        Assert.All(await db.InboundWebhookEvents.Where(e => ids.Contains(e.Id)).ToListAsync(),
            e => Assert.Equal((1, true, (string?)null), (e.Attempts, e.ProcessedAt is not null, e.Error)));
        var messages = await db.Messages.Where(m => m.WorkspaceId == workspace.Id).ToDictionaryAsync(m => m.ExternalMessageId ?? "");
        Assert.Equal(["b-1", "b-5", "c-1", "own-0", "p-1", "p-4", "q-1"], messages.Keys.Order());
        Assert.Equal((waiting, waitingChat), (messages["own-0"].Id, messages["own-0"].ChatId));
        Assert.Equal(MessageOrigin.Agent, messages["own-0"].Origin);
        Assert.Equal((MessageOrigin.Broadcast, MessageOrigin.Broadcast), (messages["b-1"].Origin, messages["b-5"].Origin));
        Assert.Equal(MessageOrigin.Sequence, messages["q-1"].Origin);
        Assert.Equal((MessageOrigin.Phone, MessageDirection.Outbound, (string?)null), (messages["p-1"].Origin, messages["p-1"].Direction, messages["p-1"].SenderNumber));
        Assert.Equal((MessageOrigin.Customer, MessageDirection.Inbound), (messages["c-1"].Origin, messages["c-1"].Direction));

        var chats = await db.Chats.Where(c => c.WorkspaceId == workspace.Id).ToDictionaryAsync(c => c.PhoneNumber!);
        Assert.Equal((true, 0), (chats[phone(2)].BroadcastOnly, chats[phone(2)].UnreadCount));
        Assert.True(chats[phone(3)].BroadcastOnly && chats[phone(5)].BroadcastOnly);
        Assert.False(chats[phone(4)].BroadcastOnly);
        Assert.Equal(revealedChat, chats[phone(4)].Id);
        Assert.Equal(("dari hp", 1), (chats[phone(1)].LastMessagePreview, chats[phone(1)].UnreadCount));
        Assert.Equal("Promo hari ini", chats[phone(2)].LastMessagePreview);
        var counters = await db.Workspaces.Where(w => w.Id == workspace.Id).Select(w => new { w.UnreadMessages, w.UnreadChats }).SingleAsync();
        Assert.Equal((1, 1), (counters.UnreadMessages, counters.UnreadChats));

        var (otherTenant, otherWorkspace) = _workspaces[2];
        var theirs = await db.Messages.SingleAsync(m => m.WorkspaceId == otherWorkspace.Id);
        Assert.Equal((otherTenant, "b-1", MessageOrigin.Phone), (theirs.TenantId, theirs.ExternalMessageId, theirs.Origin));
        Assert.False(await db.Chats.Where(c => c.Id == theirs.ChatId).Select(c => c.BroadcastOnly).SingleAsync());

        var until = DateTime.UtcNow.AddSeconds(30);
        while (claimed.IsEmpty && DateTime.UtcNow < until)
            await Task.Delay(20);
        subscription.Dispose();
        Assert.Equal([(waitingChat, waiting, MessageStatus.Sent)], claimed.Select(c => (c.ChatId, c.MessageId, c.Status)));
    }
}
