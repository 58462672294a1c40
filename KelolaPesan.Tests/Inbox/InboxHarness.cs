using KelolaPesan.Data;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KelolaPesan.Tests.Inbox;

/// <summary>
/// Everything <see cref="InboxService"/> talks to, none of it mocked (<see cref="ServiceHost"/>): a migrated database of
/// the test's provider with two tenants, the in-process realtime bus, a connected simulator gateway and a local
/// attachment folder. Inbound messages are inserted here the way the webhook path stores them (atomic counter bumps).
/// </summary>
public sealed class InboxHarness : ServiceHost
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 3, 0, 0, TimeSpan.Zero);

    private InboxHarness(TestDatabase database, FakeTimeProvider clock) : base(database, clock: clock)
    {
        Clock = clock;
    }

    public FakeTimeProvider Clock { get; }
    public RecordingEventSink Sink => Services.GetRequiredService<RecordingEventSink>();
    public SimulatorGateway Simulator => Services.GetRequiredService<SimulatorGateway>();
    public LocalAttachmentStore Attachments => (LocalAttachmentStore)Services.GetRequiredService<IAttachmentStore>();
    public InProcessRealtimeBus Bus => (InProcessRealtimeBus)Services.GetRequiredService<IRealtimeBus>();

    public Guid TenantA { get; } = Guid.CreateVersion7();
    public Guid TenantB { get; } = Guid.CreateVersion7();
    public Workspace Shop { get; private set; } = null!;
    public Workspace Care { get; private set; } = null!;
    public Workspace OtherTenantShop { get; private set; } = null!;
    public InboxViewer Owner { get; private set; } = null!;
    /// <summary>Member of Shop and Care.</summary>
    public InboxViewer Agent { get; private set; } = null!;
    /// <summary>Member of Shop only.</summary>
    public InboxViewer Agent2 { get; private set; } = null!;
    public InboxViewer OtherTenantOwner { get; private set; } = null!;

    public static Task<InboxHarness> CreateAsync(DatabaseProvider provider = DatabaseProvider.Sqlite) => CreateAsync([], provider);

    /// <summary>The same, with the gateway wrapped (an answer that comes late or not at all).</summary>
    public static Task<InboxHarness> CreateAsync(DatabaseProvider provider, Func<IWhatsAppGateway, IWhatsAppGateway> wrapGateway) =>
        CreateAsync([], provider, wrapGateway);

    /// <summary>The same, with further EF interceptors on every context (fault injection).</summary>
    public static async Task<InboxHarness> CreateAsync(IEnumerable<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor> interceptors,
        DatabaseProvider provider = DatabaseProvider.Sqlite, Func<IWhatsAppGateway, IWhatsAppGateway>? wrapGateway = null)
    {
        var clock = new FakeTimeProvider(Start);
        var harness = new InboxHarness(await TestDatabase.CreateAsync(provider, clock, interceptors: interceptors), clock) { FirstNode = WrapGateway(wrapGateway) };
        await harness.SeedAsync();
        return harness;
    }

    private async Task SeedAsync()
    {
        await Database.SeedAsync(db =>
        {
            var a = Seed.Tenant(db, "Toko A", l => l.ExpiresAt = Start.AddYears(1), t => t.Id = TenantA);
            var b = Seed.Tenant(db, "Toko B", l => l.ExpiresAt = Start.AddYears(1), t => t.Id = TenantB);
            Shop = a.Workspace("Toko Utama", "sess-shop");
            Care = a.Workspace("Layanan", "sess-missing");
            OtherTenantShop = b.Workspace("Toko Lain", "sess-other");
            Owner = new InboxViewer(a.User("pemilik", UserRole.Owner).Id, UserRole.Owner);
            Agent = new InboxViewer(a.User("agen", UserRole.Agent, Shop, Care).Id, UserRole.Agent);
            Agent2 = new InboxViewer(a.User("agen2", UserRole.Agent, Shop).Id, UserRole.Agent);
            OtherTenantOwner = new InboxViewer(b.User("lain", UserRole.Owner).Id, UserRole.Owner);
        });

        // The shop's WhatsApp session is connected; Care's session is unknown to the gateway.
        await Simulator.EnsureSessionAsync(new GatewaySessionSetup("sess-shop", new Dictionary<string, string>(), "http://127.0.0.1/none", "key"), CancellationToken.None);
        await Simulator.ScanAsync("sess-shop", "6281100000001", "Toko Utama");
    }

    /// <summary>The services as a signed-in user of <paramref name="tenantId"/> gets them.</summary>
    public InboxService Inbox(Guid tenantId) => TenantScope(tenantId).GetRequiredService<InboxService>();

    public QuickReplyService QuickReplies(Guid tenantId) => TenantScope(tenantId).GetRequiredService<QuickReplyService>();

    public MessageStatsService Stats(Guid tenantId) => TenantScope(tenantId).GetRequiredService<MessageStatsService>();

    public Core.Common.IKelolaDbFactory Factory(Guid tenantId) => TenantScope(tenantId).GetRequiredService<Core.Common.IKelolaDbFactory>();

    public async Task<Chat> AddChatAsync(Workspace workspace, string name, string? phone, DateTimeOffset lastMessageAt,
        Guid? assignedTo = null, Guid? id = null)
    {
        await using var db = Database.CreateSystem();
        var chat = Seed.In(db, workspace.TenantId).Chat(workspace.Id, name, phone, c =>
            (c.Id, c.LastMessageAt, c.AssignedUserId) = (id ?? c.Id, lastMessageAt, assignedTo));
        await db.SaveChangesAsync();
        return chat;
    }

    /// <summary>
    /// Stores a customer's message like the webhook path does: message row, then the chat's and the workspace's
    /// stored counters bumped with SQL increments in one write transaction (never read-modify-write in C#), the chat's by
    /// the app's <see cref="KelolaPesan.Data.Inbox.RelationalChatCounters"/>.
    /// </summary>
    public async Task<Message> ReceiveAsync(Chat chat, string body, DateTimeOffset? at = null)
    {
        await using var db = Database.CreateForTenant(chat.TenantId);
        var sentAt = at ?? Clock.GetUtcNow();
        var message = new Message
        {
            TenantId = chat.TenantId, WorkspaceId = chat.WorkspaceId, ChatId = chat.Id, ExternalMessageId = "in_" + Guid.NewGuid().ToString("N"),
            Direction = MessageDirection.Inbound, Origin = MessageOrigin.Customer, SenderName = chat.DisplayName, Body = body,
            Status = MessageStatus.Delivered, SentAt = sentAt,
        };
        await db.InTransactionAsync(async ct =>
        {
            db.Messages.Add(message);
            await db.SaveChangesAsync(ct);
            // The app's own conditional counter updates: a read-then-write here (was the chat read?) let two concurrent
            // messages on PostgreSQL each count the chat as newly unread.
            var becameUnread = await new KelolaPesan.Data.Inbox.RelationalChatCounters().BumpAsync(db, [new ChatBump(chat.Id, 1, sentAt, sentAt, body)], ct);
            await db.Workspaces.Where(w => w.Id == chat.WorkspaceId).ExecuteUpdateAsync(s => s
                .SetProperty(w => w.UnreadMessages, w => w.UnreadMessages + 1)
                .SetProperty(w => w.UnreadChats, w => w.UnreadChats + becameUnread), ct);
        });
        return message;
    }

    public async Task<Workspace> ReloadAsync(Workspace workspace)
    {
        await using var db = Database.CreateSystem();
        return await db.Workspaces.AsNoTracking().FirstAsync(w => w.Id == workspace.Id);
    }

    public async Task<Chat> ReloadAsync(Chat chat)
    {
        await using var db = Database.CreateSystem();
        return await db.Chats.AsNoTracking().FirstAsync(c => c.Id == chat.Id);
    }

    /// <summary>Every event published on a topic from now on.</summary>
    public List<RealtimeEvent> Record(string topic)
    {
        var events = new List<RealtimeEvent>();
        Bus.Subscribe(topic, e =>
        {
            lock (events)
                events.Add(e);
            return Task.CompletedTask;
        });
        return events;
    }

    /// <summary>
    /// Waits until <paramref name="events"/> (from <see cref="Record"/>) holds at least <paramref name="count"/>: the bus
    /// hands events to subscribers off the publisher's thread.
    /// </summary>
    public static Task HeardAsync(List<RealtimeEvent> events, int count) => HeardAsync(events, heard => heard.Count >= count);

    /// <summary>Waits (up to 10 s) until an event matching <paramref name="match"/> arrived: the bus delivers off the publisher's thread.</summary>
    public static Task HeardAsync(List<RealtimeEvent> events, Func<RealtimeEvent, bool> match) => HeardAsync(events, heard => heard.Any(match));

    private static async Task HeardAsync(List<RealtimeEvent> events, Func<List<RealtimeEvent>, bool> done)
    {
        for (var waited = 0; waited < 10_000; waited += 10)
        {
            lock (events)
                if (done(events))
                    return;
            await Task.Delay(10);
        }
    }

}
