using KelolaPesan.Core.Automation;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Tests.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Data;

namespace KelolaPesan.Tests.Inbox;

public sealed class InboundMessageServiceTests : IAsyncLifetime
{
    private const string Me = "6280000000001@c.us";
    private CoreServiceHost _host = null!;
    private Workspace _workspace = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task StartAsync(DatabaseProvider provider)
    {
        _host = await CoreServiceHost.CreateAsync(provider: provider);
        _workspace = await _host.AddWorkspaceAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
    }

    private Task<InboundOutcome> ReceiveAsync(GatewayChatMessage message) =>
        _host.InScopeAsync(sp => sp.GetRequiredService<InboundMessageService>().HandleReceivedAsync(_host.TenantId, _workspace.Id, _workspace.ExternalSessionId!, message));

    private static GatewayChatMessage Inbound(string id, string from, string text, string? pushName = "Andi") =>
        new(id, DateTimeOffset.UtcNow, from, Me, FromMe: false, text, HasMedia: false, null, null, null, pushName);

    // A gateway repeating one webhook while the first delivery is still being stored: on PostgreSQL the repeats really
    // run side by side, and only the unique (workspace, message id) index decides which one stores it.
    [Theory, Providers]
    public async Task ConcurrentRepeatsOfOneMessage_StoreItOnce_AndCountItOnce(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            Task.Run(() => ReceiveAsync(Inbound("m-repeat", "6281234567892@c.us", "sekali saja")))));

        Assert.Equal(1, results.Count(r => r == InboundOutcome.Stored));
        Assert.All(results.Where(r => r != InboundOutcome.Stored), r => Assert.Equal(InboundOutcome.Duplicate, r));
        await using var db = _host.Database.CreateSystem();
        Assert.Equal(1, await db.Messages.CountAsync(m => m.ExternalMessageId == "m-repeat"));
        Assert.Equal(1, await db.Chats.CountAsync());
        Assert.Equal(1, (await db.Chats.SingleAsync()).UnreadCount);
        var workspace = await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == _workspace.Id);
        Assert.Equal((1, 1), (workspace.UnreadChats, workspace.UnreadMessages));
    }

    [Theory, Providers]
    public async Task FiftyConcurrentInboundMessages_CountFifty_InTheChatAndTheWorkspace(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(() => ReceiveAsync(Inbound($"m-{i}", "6281234567891@c.us", $"pesan {i}")))));

        Assert.All(results, r => Assert.Equal(InboundOutcome.Stored, r));
        await using var db = _host.Database.CreateSystem();
        var chat = await db.Chats.SingleAsync();
        Assert.Equal(50, chat.UnreadCount);
        Assert.Equal(50, await db.Messages.CountAsync());
        var workspace = await db.Workspaces.SingleAsync(w => w.Id == _workspace.Id);
        Assert.Equal((50, 1), (workspace.UnreadMessages, workspace.UnreadChats));
    }

    [Theory, Providers]
    public async Task BatchesConcurrentWithSingles_CountEveryMessageOnce_AndSkipDuplicates(DatabaseProvider provider)
    {
        await StartAsync(provider);
        Task<IReadOnlyList<InboundOutcome>> BatchAsync(IReadOnlyList<GatewayChatMessage> batch) =>
            _host.InScopeAsync(sp => sp.GetRequiredService<InboundMessageService>().HandleReceivedBatchAsync(_host.TenantId, _workspace.Id, batch));

        await ReceiveAsync(Inbound("m-0", "6281234567801@c.us", "pesan 0"));
        // Four batches of 10 over four customers, each batch also repeating m-0, racing 20 single messages.
        var batches = Enumerable.Range(0, 4).Select(b => Task.Run(() => BatchAsync(
            [Inbound("m-0", "6281234567801@c.us", "pesan 0"), .. Enumerable.Range(1, 10).Select(i => Inbound($"b{b}-{i}", $"62812345678{i % 4}1@c.us", $"pesan {b}-{i}"))])));
        var singles = Enumerable.Range(0, 20).Select(i => Task.Run(() => ReceiveAsync(Inbound($"s-{i}", $"62812345678{i % 4}1@c.us", $"satu {i}"))));
        var outcomes = await Task.WhenAll(batches);
        await Task.WhenAll(singles);

        Assert.All(outcomes, o => Assert.Equal([InboundOutcome.Duplicate, .. Enumerable.Repeat(InboundOutcome.Stored, 10)], o));
        await using var db = _host.Database.CreateSystem();
        Assert.Equal(61, await db.Messages.CountAsync());
        Assert.Equal(4, await db.Chats.CountAsync());
        Assert.Equal(61, await db.Chats.SumAsync(c => c.UnreadCount));
        var workspace = await db.Workspaces.SingleAsync(w => w.Id == _workspace.Id);
        Assert.Equal((61, 4), (workspace.UnreadMessages, workspace.UnreadChats));
        var latest = await db.Messages.OrderByDescending(m => m.SentAt).ThenByDescending(m => m.Id).FirstAsync(m => m.ChatId == db.Chats.First().Id);
        Assert.Equal(latest.SentAt, (await db.Chats.FirstAsync()).LastMessageAt);
    }

    // Issue 18: the event that moves the pages' unread badges carries the workspace's stored counters after the change
    // (the shell shows them without a query), from the one-by-one path and from a batch.
    [Theory, Providers]
    public async Task TheUnreadEvent_CarriesTheWorkspacesStoredCounters_OneByOneAndInABatch(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var heard = new List<RealtimeEvent>();
        using var subscription = _host.Services.GetRequiredService<IRealtimeBus>().Subscribe(Topics.Tenant(_host.TenantId), evt =>
        {
            lock (heard)
                heard.Add(evt);
            return Task.CompletedTask;
        });

        await ReceiveAsync(Inbound("u-1", "6281234567801@c.us", "satu"));
        await InboxHarness.HeardAsync(heard, 1);
        await _host.InScopeAsync(sp => sp.GetRequiredService<InboundMessageService>().HandleReceivedBatchAsync(_host.TenantId, _workspace.Id,
            [Inbound("u-2", "6281234567801@c.us", "dua"), Inbound("u-3", "6281234567802@c.us", "tiga")]));
        await InboxHarness.HeardAsync(heard, 2);

        lock (heard)
            Assert.Equal([
                new UnreadCountsChanged(_host.TenantId, _workspace.Id, UnreadChats: 1, UnreadMessages: 1),
                new UnreadCountsChanged(_host.TenantId, _workspace.Id, UnreadChats: 2, UnreadMessages: 3)], heard);
    }

    [Theory, Providers]
    public async Task Batch_RunsTheOptOutAndBotHooks_AsOneByOneDoes(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await using (var db = _host.Database.CreateSystem())
        {
            db.Contacts.Add(new Contact { TenantId = _host.TenantId, WorkspaceId = _workspace.Id, Phone = "+6281234567801", Name = "Andi" });
            var rule = new BotRule
            {
                TenantId = _host.TenantId, WorkspaceId = _workspace.Id, Name = "Harga", Trigger = BotTrigger.Keyword,
                MatchMode = KeywordMatchMode.Contains, Priority = 1, ReplyTemplate = "Harga kaos 80rb",
            };
            rule.Keywords.Add(new BotKeyword { TenantId = _host.TenantId, WorkspaceId = _workspace.Id, RuleId = rule.Id, Keyword = "harga" });
            db.BotRules.Add(rule);
            db.BotSettings.Add(new BotSettings { TenantId = _host.TenantId, WorkspaceId = _workspace.Id, Enabled = true });
            await db.SaveChangesAsync();
        }

        var outcomes = await _host.InScopeAsync(sp => sp.GetRequiredService<InboundMessageService>().HandleReceivedBatchAsync(_host.TenantId, _workspace.Id,
            [Inbound("b-1", "6281234567801@c.us", "stop"), Inbound("b-2", "6281234567802@c.us", "berapa harga kaos?"), Inbound("b-3", "6281234567803@c.us", "halo")]));

        Assert.All(outcomes, o => Assert.Equal(InboundOutcome.Stored, o));
        await using var check = _host.Database.CreateSystem();
        Assert.True((await check.Contacts.SingleAsync()).OptedOut);
        var asked = await check.Messages.Where(m => m.ExternalMessageId == "b-2").Select(m => m.Id).SingleAsync();
        Assert.Equal([asked], await check.BotReplies.Where(r => r.RuleId != null).Select(r => r.InboundMessageId).ToListAsync());
    }

    // Issue 21: a batch of new customers makes their chats in its own transaction (a commit per new chat made such a batch
    // take seconds), named as one by one: the contact's name, else the name the customer gave, else the number.
    [Theory, Providers]
    public async Task Batch_OfNewCustomers_MakesTheirChats_NamedAsOneByOne(DatabaseProvider provider)
    {
        await StartAsync(provider);
        Guid contactId;
        await using (var db = _host.Database.CreateSystem())
        {
            var contact = new Contact { TenantId = _host.TenantId, WorkspaceId = _workspace.Id, Phone = "+6281234567801", Name = "Bu Sari" };
            db.Contacts.Add(contact);
            await db.SaveChangesAsync();
            contactId = contact.Id;
        }

        var outcomes = await _host.InScopeAsync(sp => sp.GetRequiredService<InboundMessageService>().HandleReceivedBatchAsync(_host.TenantId, _workspace.Id,
            [Inbound("n-1", "6281234567801@c.us", "halo"), Inbound("n-2", "6281234567802@c.us", "permisi", pushName: "Budi"),
             Inbound("n-3", "6281234567803@c.us", "tanya", pushName: null), Inbound("n-4", "6281234567802@c.us", "jadi?", pushName: "Budi")]));

        Assert.All(outcomes, o => Assert.Equal(InboundOutcome.Stored, o));
        await using var check = _host.Database.CreateSystem();
        var chats = await check.Chats.AsNoTracking().OrderBy(c => c.PhoneNumber).ToListAsync();
        Assert.Equal(["Bu Sari", "Budi", "+6281234567803"], chats.Select(c => c.DisplayName));
        Assert.Equal([contactId, null, null], chats.Select(c => c.ContactId));
        Assert.Equal([1, 2, 1], chats.Select(c => c.UnreadCount));
        Assert.Equal(["halo", "jadi?", "tanya"], chats.Select(c => c.LastMessagePreview));
        var workspace = await check.Workspaces.AsNoTracking().SingleAsync(w => w.Id == _workspace.Id);
        Assert.Equal((3, 4), (workspace.UnreadChats, workspace.UnreadMessages));
    }

    [Theory, Providers]
    public async Task ConcurrentMessagesOfManyCustomers_CountEveryChatOnce(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => ReceiveAsync(Inbound($"m-{i}", $"62812345678{i % 4}1@c.us", $"pesan {i}")))));

        await using var db = _host.Database.CreateSystem();
        Assert.Equal(4, await db.Chats.CountAsync());
        Assert.All(await db.Chats.ToListAsync(), c => Assert.Equal(10, c.UnreadCount));
        var workspace = await db.Workspaces.SingleAsync(w => w.Id == _workspace.Id);
        Assert.Equal((40, 4), (workspace.UnreadMessages, workspace.UnreadChats));
    }

    [Theory, Providers]
    public async Task ADuplicate_IsANoOp_AndAPhoneSentMessageIsOutboundWithoutUnread(DatabaseProvider provider)
    {
        await StartAsync(provider);
        Assert.Equal(InboundOutcome.Stored, await ReceiveAsync(Inbound("m-1", "6281234567891@c.us", "halo")));
        Assert.Equal(InboundOutcome.Duplicate, await ReceiveAsync(Inbound("m-1", "6281234567891@c.us", "halo")));
        var fromPhone = new GatewayChatMessage("m-2", DateTimeOffset.UtcNow.AddSeconds(1), Me, "6281234567891@c.us", FromMe: true, "halo juga", false, null, MessageStatus.Sent, null, "Toko");
        Assert.Equal(InboundOutcome.Stored, await ReceiveAsync(fromPhone));

        await using var db = _host.Database.CreateSystem();
        var messages = await db.Messages.OrderBy(m => m.SentAt).ToListAsync();
        Assert.Equal([(MessageDirection.Inbound, MessageOrigin.Customer), (MessageDirection.Outbound, MessageOrigin.Phone)],
            messages.Select(m => (m.Direction, m.Origin)));
        var chat = await db.Chats.SingleAsync();
        Assert.Equal((1, "halo juga"), (chat.UnreadCount, chat.LastMessagePreview));
    }

    [Theory, Providers]
    public async Task AnEchoOfOurOwnPendingSend_TakesItsIdInsteadOfADuplicate(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await ReceiveAsync(Inbound("m-1", "6281234567891@c.us", "halo"));
        Guid pendingId;
        await using (var db = _host.Database.CreateSystem())
        {
            var chat = await db.Chats.SingleAsync();
            var pending = new Message
            {
                TenantId = _host.TenantId, WorkspaceId = _workspace.Id, ChatId = chat.Id, Direction = MessageDirection.Outbound,
                Origin = MessageOrigin.Agent, Body = "Siap kak", Status = MessageStatus.Pending, SentAt = DateTimeOffset.UtcNow,
            };
            db.Messages.Add(pending);
            await db.SaveChangesAsync();
            pendingId = pending.Id;
        }
        var echo = new GatewayChatMessage("sent-1", DateTimeOffset.UtcNow, Me, "6281234567891@c.us", FromMe: true, "Siap kak", false, null, MessageStatus.Sent, null, null);
        Assert.Equal(InboundOutcome.Duplicate, await ReceiveAsync(echo));

        await using var check = _host.Database.CreateSystem();
        Assert.Equal(2, await check.Messages.CountAsync());
        Assert.Equal("sent-1", (await check.Messages.SingleAsync(m => m.Id == pendingId)).ExternalMessageId);
    }

    [Theory, Providers]
    public async Task ALidSender_IsResolvedThroughTheGateway_AndTheMapIsKept(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var simulator = _host.Services.GetRequiredService<SimulatorGateway>();
        var sink = _host.Services.GetRequiredService<RecordingEventSink>();
        await simulator.EnsureSessionAsync(new GatewaySessionSetup(_workspace.ExternalSessionId!, new Dictionary<string, string>(), "", ""), default);
        await simulator.ScanAsync(_workspace.ExternalSessionId!, "6280000000001", "Toko");
        await simulator.SimulateInboundAsync(_workspace.ExternalSessionId!, "6281299990001", "Lid Customer", "halo", viaLid: true);
        var received = await sink.WaitForAsync<MessageReceived>(_ => true);
        Assert.True(ChatIds.IsLid(received.Message.From));

        Assert.Equal(InboundOutcome.Stored, await ReceiveAsync(received.Message));

        await using var db = _host.Database.CreateSystem();
        var chat = await db.Chats.SingleAsync();
        Assert.Equal(("6281299990001@c.us", "+6281299990001", "Lid Customer"), (chat.ExternalChatId, chat.PhoneNumber, chat.DisplayName));
        var map = await db.LidMappings.SingleAsync();
        Assert.Equal((received.Message.From, "6281299990001"), (map.Lid, map.PhoneNumber));
    }

    [Theory, Providers]
    public async Task TooLargeMedia_IsStoredAsAMessageWithAnError(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var simulator = _host.Services.GetRequiredService<SimulatorGateway>();
        var sink = _host.Services.GetRequiredService<RecordingEventSink>();
        await using (var db = _host.Database.CreateSystem())
        {
            db.Policies.Add(new KelolaPesan.Core.Admin.PolicySettings { MaxAttachmentBytes = 1000 });
            await db.SaveChangesAsync();
        }
        await simulator.EnsureSessionAsync(new GatewaySessionSetup(_workspace.ExternalSessionId!, new Dictionary<string, string>(), "", ""), default);
        await simulator.ScanAsync(_workspace.ExternalSessionId!, "6280000000001", "Toko");
        await simulator.SimulateInboundMediaAsync(_workspace.ExternalSessionId!, "6281299990001", "A", "besar", new byte[5000], "image/png", "big.png");
        await simulator.SimulateInboundMediaAsync(_workspace.ExternalSessionId!, "6281299990001", "A", "kecil", new byte[500], "image/png", "small.png");
        await sink.WaitForAsync<MessageReceived>(m => m.Message.Body == "kecil");
        foreach (var evt in sink.Of<MessageReceived>())
            Assert.Equal(InboundOutcome.Stored, await ReceiveAsync(evt.Message));

        await using var check = _host.Database.CreateSystem();
        var big = await check.Messages.SingleAsync(m => m.Body == "besar");
        Assert.Null(big.AttachmentId);
        Assert.Contains("limit", big.Error);
        var small = await check.Messages.SingleAsync(m => m.Body == "kecil");
        var attachment = await check.Attachments.SingleAsync(a => a.Id == small.AttachmentId);
        Assert.Equal((500L, KelolaPesan.Core.Attachments.AttachmentKind.Image), (attachment.SizeBytes, attachment.Kind));
    }

    [Theory, Providers]
    public async Task InboundMedia_OverTheTiersLimit_IsNotKept_EvenWhenTheDefaultWouldAllowIt(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var simulator = _host.Services.GetRequiredService<SimulatorGateway>();
        var sink = _host.Services.GetRequiredService<RecordingEventSink>();
        await using (var db = _host.Database.CreateSystem())
        {
            // The host's licence is on the Basic tier: its override (1000 bytes) is tighter than the default (100 000).
            db.Policies.AddRange(
                new KelolaPesan.Core.Admin.PolicySettings { MaxAttachmentBytes = 100_000 },
                new KelolaPesan.Core.Admin.PolicySettings { Tier = KelolaPesan.Core.Tenancy.PolicyTier.Basic, MaxAttachmentBytes = 1000 });
            await db.SaveChangesAsync();
        }
        await simulator.EnsureSessionAsync(new GatewaySessionSetup(_workspace.ExternalSessionId!, new Dictionary<string, string>(), "", ""), default);
        await simulator.ScanAsync(_workspace.ExternalSessionId!, "6280000000001", "Toko");
        await simulator.SimulateInboundMediaAsync(_workspace.ExternalSessionId!, "6281299990001", "A", "besar", new byte[5000], "image/png", "big.png");
        await sink.WaitForAsync<MessageReceived>(m => m.Message.Body == "besar");
        foreach (var evt in sink.Of<MessageReceived>())
            Assert.Equal(InboundOutcome.Stored, await ReceiveAsync(evt.Message));

        await using var check = _host.Database.CreateSystem();
        var big = await check.Messages.SingleAsync(m => m.Body == "besar");
        Assert.Null(big.AttachmentId);
        Assert.Contains("limit", big.Error);
        Assert.Equal(0, await check.Attachments.CountAsync());
    }
}
