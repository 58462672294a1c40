using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using KelolaPesan.Tests.Broadcasts;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Inbox;

/// <summary>
/// A broadcast and the inbox (docs/adr/0021), through the real dispatcher, the simulator and the inbound path the webhooks
/// use: its own messages make no chats in anyone's list and nothing unread until a customer replies; then that chat is
/// there, titled with the contact's name, with the broadcast message and the reply in its history.
/// </summary>
public sealed class BroadcastChatsTests
{
    private static PolicySettings Fast() => new()
    {
        MinDelaySeconds = 0, MaxDelaySeconds = 0, BatchSize = 1000, BatchRestSeconds = 0, DailyCapPerWorkspace = 100_000,
        SendWindowStart = new TimeOnly(0, 0), SendWindowEnd = new TimeOnly(0, 0),
    };

    private static readonly (string Phone, string Name)[] Customers =
        [("+6281230000011", "Budi Santoso"), ("+6281230000012", "Sari Dewi"), ("+6281230000013", "Andi Wijaya")];

    [Theory, Providers]
    public async Task ABroadcastToThree_MakesNoListedChats_UntilOneReplies_ThenThatChatShowsWithTheContactsNameAndBothMessages(DatabaseProvider provider)
    {
        await using var host = await BroadcastHost.CreateAsync(Fast(), provider: provider);
        foreach (var (phone, name) in Customers)
            await host.AddContactAsync(phone, name);
        var (owner, agent) = await ViewersAsync(host);

        var created = await host.CreateAsync(host.Request(string.Join("\n", Customers.Select(c => c.Phone)), text: "Promo {name}!"));
        Assert.True(created.Succeeded, string.Join("; ", created.Errors));
        await host.RunToEndAsync();
        var recipients = await host.RecipientsAsync(created.BroadcastId!.Value);
        Assert.All(recipients, r => Assert.Equal(RecipientStatus.Sent, r.Status));

        // The gateway echoes each of our sends (fromMe), as WAHA's message.any does.
        foreach (var r in recipients)
            Assert.Equal(InboundOutcome.Stored, await InboundAsync(host, new GatewayChatMessage(r.ExternalMessageId!, host.Clock.GetUtcNow(),
                "628000000001@c.us", ChatIds.FromPhone(r.Phone.TrimStart('+')), true, r.RenderedText, false, null, MessageStatus.Sent, null, "Toko")));

        Assert.Empty((await ListAsync(host, owner)).Items);
        Assert.Empty((await ListAsync(host, agent)).Items);
        Assert.Empty((await ListAsync(host, agent, new ChatListQuery(host.WorkspaceId, UnassignedOnly: true))).Items);
        Assert.Empty((await ListAsync(host, owner, new ChatListQuery(host.WorkspaceId, Search: "Budi"))).Items);
        Assert.Equal((0, 0), await UnreadAsync(host));

        // Sari replies, under her own WhatsApp name.
        host.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(InboundOutcome.Stored, await InboundAsync(host, new GatewayChatMessage("reply-1", host.Clock.GetUtcNow(),
            "6281230000012@c.us", "628000000001@c.us", false, "Masih ada stok?", false, null, null, null, "sari_dw")));

        foreach (var viewer in new[] { owner, agent })
        {
            var chat = Assert.Single((await ListAsync(host, viewer)).Items);
            Assert.Equal("Sari Dewi", chat.Title);
            Assert.Equal("+6281230000012", chat.PhoneNumber);
            Assert.Equal(1, chat.UnreadCount);
            var history = await host.InScopeAsync(sp => sp.GetRequiredService<InboxService>().GetMessagesAsync(viewer, chat.Id));
            Assert.Collection(history.Messages,
                // The broadcast's text as rendered for her (the licence's watermark footer follows it).
                m => Assert.Equal((MessageDirection.Outbound, MessageOrigin.Broadcast, true), (m.Direction, m.Origin, m.Body.StartsWith("Promo Sari Dewi!", StringComparison.Ordinal))),
                m => Assert.Equal((MessageDirection.Inbound, MessageOrigin.Customer, "Masih ada stok?"), (m.Direction, m.Origin, m.Body)));
        }
        Assert.Equal((1, 1), await UnreadAsync(host));
    }

    [Theory, Providers]
    public async Task AKnownContactWritingFirst_GetsAChatTitledWithTheContactsName_AndAnUnknownOneWithTheirOwn(DatabaseProvider provider)
    {
        await using var host = await BroadcastHost.CreateAsync(Fast(), provider: provider);
        await host.AddContactAsync("+6281230000021", "Ibu Rina");
        var (owner, _) = await ViewersAsync(host);

        await InboundAsync(host, new GatewayChatMessage("in-1", host.Clock.GetUtcNow(), "6281230000021@c.us", "628000000001@c.us", false, "Halo", false, null, null, null, "rina88"));
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        await InboundAsync(host, new GatewayChatMessage("in-2", host.Clock.GetUtcNow(), "6281230000022@c.us", "628000000001@c.us", false, "Permisi", false, null, null, null, "Joko"));

        var titles = (await ListAsync(host, owner)).Items.Select(c => c.Title).ToList();
        Assert.Equal(["Joko", "Ibu Rina"], titles);
    }

    private static Task<InboundOutcome> InboundAsync(BroadcastHost host, GatewayChatMessage message) =>
        host.InScopeAsync(sp => sp.GetRequiredService<InboundMessageService>().HandleReceivedAsync(host.TenantId, host.WorkspaceId, BroadcastHost.Session, message));

    private static Task<ChatPage> ListAsync(BroadcastHost host, InboxViewer viewer, ChatListQuery? query = null) =>
        host.InScopeAsync(sp => sp.GetRequiredService<InboxService>().ListChatsAsync(viewer, query ?? new ChatListQuery(host.WorkspaceId)));

    private static async Task<(int Chats, int Messages)> UnreadAsync(BroadcastHost host)
    {
        await using var db = host.Database.CreateForTenant(host.TenantId);
        var w = await db.Workspaces.AsNoTracking().FirstAsync(x => x.Id == host.WorkspaceId);
        return (w.UnreadChats, w.UnreadMessages);
    }

    /// <summary>An owner and an agent who is a member of the workspace.</summary>
    private static async Task<(InboxViewer Owner, InboxViewer Agent)> ViewersAsync(BroadcastHost host)
    {
        await using var db = host.Database.CreateSystem();
        var owner = new AppUser { TenantId = host.TenantId, Username = "owner", DisplayName = "Owner", Role = UserRole.Owner };
        var agent = new AppUser { TenantId = host.TenantId, Username = "agent", DisplayName = "Agent", Role = UserRole.Agent };
        db.Users.AddRange(owner, agent);
        db.WorkspaceMembers.Add(new WorkspaceMember { TenantId = host.TenantId, WorkspaceId = host.WorkspaceId, UserId = agent.Id });
        await db.SaveChangesAsync();
        return (new InboxViewer(owner.Id, UserRole.Owner), new InboxViewer(agent.Id, UserRole.Agent));
    }
}
