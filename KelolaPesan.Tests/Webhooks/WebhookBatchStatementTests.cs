using System.Text.Json.Nodes;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Data;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Webhooks;

/// <summary>
/// What a batch spread over workspaces and tenants asks the database: each kind of look-up once for the whole batch,
/// whichever tenants it spans (docs/adr/0026 addendum), with the same effect as one by one.
/// </summary>
public sealed class WebhookBatchStatementTests : WebhookBatchTests
{
    // A batch's look-ups (duplicates, chats, contacts, origins, counters, hooks) are asked once for the batch, whichever
    // tenants it spans: the same customers' messages to two workspaces of one tenant and to two of two tenants cost the
    // same reads. Asked once per tenant, a batch spread over 20 tenants spent three quarters of its time on them (issue 21).
    [Theory, Providers]
    public async Task ABatchOverTwoTenants_ReadsNoMoreThanOneOverOne(DatabaseProvider provider)
    {
        var reads = new ReadCounter();
        await StartAsync(provider, reads);
        var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60;
        async Task<List<string>> ReadsOfABatchAsync(int first, int second, int customer)
        {
            var ids = new List<Guid>();
            foreach (var (target, n) in new[] { (first, customer), (second, customer), (first, customer + 1), (second, customer + 1) })
                ids.Add(await StoreAsync(_workspaces[target], "message",
                    FakeWahaServer.MessagePayload($"r-{target}-{n}", Customer(n), Me, "ada stok?", timestamp: start + n)));
            reads.Clear();
            await ProcessAsync(ids);
            return reads.Reads.Select(r => r.Sql).Order().ToList();
        }

        var oneTenant = await ReadsOfABatchAsync(0, 1, customer: 2);
        var twoTenants = await ReadsOfABatchAsync(0, 2, customer: 4);

        Assert.NotEmpty(oneTenant);
        Assert.Equal(oneTenant, twoTenants);
        await using var db = _host.Database.CreateSystem();
        foreach (var (tenantId, workspace) in _workspaces)
        {
            var chats = await db.Chats.Where(c => c.WorkspaceId == workspace.Id).ToListAsync();
            Assert.All(chats, c => Assert.Equal(tenantId, c.TenantId));
            Assert.Equal(workspace.Id == _workspaces[1].Workspace.Id ? 2 : workspace.Id == _workspaces[0].Workspace.Id ? 4 : 2, chats.Count);
            var unread = await db.Workspaces.Where(w => w.Id == workspace.Id).Select(w => new { w.UnreadMessages, w.UnreadChats }).SingleAsync();
            Assert.Equal((chats.Count, chats.Count), (unread.UnreadMessages, unread.UnreadChats));
        }
    }

    // A batch's acks read their messages and recipients once, whatever their number and tenants (one by one, three
    // statements an ack were most of a paced send's cost, issue 21), and still move each row as one by one would: two acks
    // of one send in the same batch end at the higher, a failure after delivery changes nothing, a recipient still marked
    // sending is confirmed, and the same gateway id in another tenant is left alone.
    [Theory, Providers]
    public async Task AcksOfABatch_ReadTheirRowsOnce_AndMoveEachAsOneByOne(DatabaseProvider provider)
    {
        var reads = new ReadCounter();
        await StartAsync(provider, reads);
        var rows = new List<(Guid Message, Guid Recipient)>();
        foreach (var (tenantId, workspace) in _workspaces)
        {
            rows.Add(await _host.Database.SeedAsync(db =>
            {
                var seed = Seed.In(db, tenantId);
                var broadcast = new Broadcast { TenantId = tenantId, WorkspaceId = workspace.Id, Name = "Promo", Status = BroadcastStatus.Running, MessageTemplate = "Promo" };
                db.Broadcasts.Add(broadcast);
                var recipient = new BroadcastRecipient
                {
                    TenantId = tenantId, WorkspaceId = workspace.Id, BroadcastId = broadcast.Id, Phone = "+6281234567801", RenderedText = "Promo",
                    Status = workspace.Id == _workspaces[0].Workspace.Id ? RecipientStatus.Sending : RecipientStatus.Sent, ExternalMessageId = "send-1",
                    IdempotencyKey = $"b:{broadcast.Id}:1", SendingAt = DateTimeOffset.UtcNow,
                };
                db.BroadcastRecipients.Add(recipient);
                var chat = seed.Chat(workspace.Id, "Pelanggan 1", "+6281234567801", c => c.BroadcastOnly = true);
                var message = new Message
                {
                    TenantId = tenantId, WorkspaceId = workspace.Id, ChatId = chat.Id, Direction = MessageDirection.Outbound, Origin = MessageOrigin.Broadcast,
                    Status = MessageStatus.Sent, Body = "Promo", ExternalMessageId = "send-1", SentAt = DateTimeOffset.UtcNow,
                };
                db.Messages.Add(message);
                return (message.Id, recipient.Id);
            }));
        }
        Task<Guid> Ack(int workspace, int ack) =>
            StoreAsync(_workspaces[workspace], "message.ack", new JsonObject { ["id"] = "send-1", ["from"] = Customer(1), ["fromMe"] = true, ["ack"] = ack });
        // WAHA's ack numbers: 2 delivered, 3 read, -1 failed.
        var ids = new List<Guid> { await Ack(0, 2), await Ack(0, 3), await Ack(1, 2), await Ack(1, -1), await Ack(0, 2) };

        reads.Clear();
        await ProcessAsync(ids);

        Assert.Equal(2, reads.Reads.Count(r => !r.Sql.Contains("\"InboundWebhookEvents\"", StringComparison.Ordinal)));
        await using var db = _host.Database.CreateSystem();
        var messages = new List<MessageStatus>();
        var recipients = new List<RecipientStatus>();
        foreach (var (message, recipient) in rows)
        {
            messages.Add(await db.Messages.Where(m => m.Id == message).Select(m => m.Status).SingleAsync());
            recipients.Add(await db.BroadcastRecipients.Where(r => r.Id == recipient).Select(r => r.Status).SingleAsync());
        }
        Assert.Equal([MessageStatus.Read, MessageStatus.Delivered, MessageStatus.Sent], messages);
        Assert.Equal([RecipientStatus.Read, RecipientStatus.Delivered, RecipientStatus.Sent], recipients);
        Assert.All(await db.InboundWebhookEvents.Where(e => ids.Contains(e.Id)).ToListAsync(),
            e => Assert.Equal((1, true, (string?)null), (e.Attempts, e.ProcessedAt is not null, e.Error)));
    }
}
