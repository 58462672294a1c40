using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Inbox;

/// <summary>
/// Two agents of "Toko Utama" in two browsers. The webhook path (issue 3) is not on this branch, so the
/// customer's message is stored the way it stores them and announced on the app's own realtime bus.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class InboxBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    private const string Script = "<script>alert(1)</script>";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task InboundMessage_ReachesBothAgentsLive_OpeningClearsTheOthersBadge_AndTheReplyShowsItsTicks()
    {
        await using var budi = await browser.NewPageAsync(app.BaseUrl);
        await using var rina = await browser.NewPageAsync(app.BaseUrl);
        var dialogs = 0;
        budi.Page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        rina.Page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };

        await budi.RunAsync(async page =>
        {
            await SignInAsync(page, DemoAccounts.AgentUserName);
            await SignInAsync(rina.Page, "agen2");
            // Budi works in two workspaces: he watches all of them at once.
            await page.Locator("input[data-testid=all-workspaces], [data-testid=all-workspaces] input").First.CheckAsync();
            var (tenantId, workspaceId, session, chat) = await OldestChatOfTheShopAsync();
            await ConnectTheShopAsync(session);
            var budiBefore = await UnreadAsync(page);
            var rinaBefore = await UnreadAsync(rina.Page);
            Assert.NotEqual(chat.Id.ToString(), await page.ByTestId("chat-row").First.GetAttributeAsync("data-chat-id"));

            await ReceiveAsync(tenantId, workspaceId, chat.Id, Script);

            foreach (var (p, before) in new[] { (page, budiBefore), (rina.Page, rinaBefore) })
            {
                await Assertions.Expect(p.ByTestId("total-unread-count")).ToHaveTextAsync((before + 1).ToString(), new() { Timeout = (float)Within.TotalMilliseconds });
                await Assertions.Expect(p.ByTestId("chat-row").First).ToHaveAttributeAsync("data-chat-id", chat.Id.ToString(), new() { Timeout = (float)Within.TotalMilliseconds });
            }

            // Budi opens it: it is read for everyone, so Rina's badge drops by the chat's unread count.
            var chatUnread = int.Parse(await page.ByTestId("chat-row").First.Locator("[data-testid=chat-unread]").InnerTextAsync());
            await page.ByTestId("chat-row").First.ClickAsync();
            await page.ByTestId("conversation").WaitForAsync();
            await Assertions.Expect(rina.Page.ByTestId("total-unread-count")).ToHaveTextAsync((rinaBefore + 1 - chatUnread).ToString(), new() { Timeout = (float)Within.TotalMilliseconds });
            await Assertions.Expect(page.ByTestId("total-unread-count")).ToHaveTextAsync((budiBefore + 1 - chatUnread).ToString(), new() { Timeout = (float)Within.TotalMilliseconds });

            // The customer's "<script>" is text on the screen, never a script.
            var text = page.ByTestId("message-text").Last;
            Assert.Equal(Script, await text.InnerTextAsync());
            Assert.Equal(0, await page.Locator("[data-testid=messages] script").CountAsync());

            // Budi replies with Enter; the reply goes out at once and its ticks show it.
            var box = page.Locator("[data-testid=composer] textarea").First;
            await box.FillAsync("Halo kak, stok masih ada");
            await box.PressAsync("Enter");
            var reply = page.ByTestId("message").Filter(new() { HasText = "Halo kak, stok masih ada" });
            await Assertions.Expect(reply.Locator("[data-testid=ticks]")).ToHaveAttributeAsync("data-status", "Sent", new() { Timeout = 5000 });
            Assert.Equal("", await box.InputValueAsync());
            // Delivered and Read come from gateway acks through issue 3's event sink, which this branch does not have.

            // Budi's reply took the unassigned chat (assign-on-reply, the tenant's default): it leaves Rina's list, live.
            await Assertions.Expect(rina.Page.Locator($"[data-testid=chat-row][data-chat-id='{chat.Id}']")).ToHaveCountAsync(0, new() { Timeout = (float)Within.TotalMilliseconds });
            Assert.Equal(0, dialogs);
        });
    }

    // The rows are keyed by chat: when a message moves a chat to the top, the others' elements stay theirs, so the row an
    // agent has focused (keyboard, screen reader) is still the same chat, not whichever slid into its place.
    [Theory]
    [InlineData(390, 844)]
    [InlineData(1440, 900)]
    public async Task AFocusedRow_StaysOnItsChat_WhenANewMessageReSortsTheList(int width, int height)
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await SignInAsync(page, DemoAccounts.AgentUserName);
            await page.Locator("input[data-testid=all-workspaces], [data-testid=all-workspaces] input").First.CheckAsync();
            await page.SetViewportSizeAsync(width, height);
            var (tenantId, workspaceId, _, oldest) = await OldestChatOfTheShopAsync();
            var rows = page.ByTestId("chat-row");
            await Assertions.Expect(rows.Nth(2)).ToBeVisibleAsync();
            var focused = await rows.Nth(1).GetAttributeAsync("data-chat-id");
            Assert.NotEqual(oldest.Id.ToString(), focused);
            Assert.NotEqual(oldest.Id.ToString(), await rows.First.GetAttributeAsync("data-chat-id"));
            await rows.Nth(1).FocusAsync();

            await ReceiveAsync(tenantId, workspaceId, oldest.Id, "kak, masih buka?");

            await Assertions.Expect(rows.First).ToHaveAttributeAsync("data-chat-id", oldest.Id.ToString(), new() { Timeout = (float)Within.TotalMilliseconds });
            Assert.Equal(focused, await page.EvaluateAsync<string?>("() => document.activeElement?.dataset.chatId ?? null"));
            await Assertions.Expect(rows.Nth(2)).ToHaveAttributeAsync("data-chat-id", focused!);
        });
    }

    private static async Task SignInAsync(IPage page, string userName)
    {
        await page.GotoAsync("/account/login");
        await page.ByTestId("licence-code").FillAsync(DemoAccounts.LicenceCode);
        await page.ByTestId("username").FillAsync(userName);
        await page.ByTestId("password").FillAsync(DemoAccounts.AgentPassword);
        await page.ByTestId("sign-in").ClickAsync();
        await page.ByTestId("workspace-switcher").WaitForAsync();
        await page.GotoAsync("/inbox");
        await page.WaitForCircuitAsync();
        await page.ByTestId("chat-row").First.WaitForAsync();
    }

    private static async Task<int> UnreadAsync(IPage page) => int.Parse(await page.ByTestId("total-unread-count").InnerTextAsync());

    private async Task<(Guid TenantId, Guid WorkspaceId, string Session, Chat Chat)> OldestChatOfTheShopAsync()
    {
        using var scope = app.Services.CreateScope();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        var shop = await db.Workspaces.SingleAsync(w => w.Name == "Toko Utama");
        var chat = await db.Chats.Where(c => c.WorkspaceId == shop.Id && c.AssignedUserId == null).OrderBy(c => c.LastMessageAt).FirstAsync();
        return (shop.TenantId, shop.Id, shop.ExternalSessionId!, chat);
    }

    private async Task ConnectTheShopAsync(string session)
    {
        var simulator = app.Services.GetRequiredService<SimulatorGateway>();
        await simulator.EnsureSessionAsync(new GatewaySessionSetup(session, new Dictionary<string, string>(), "http://127.0.0.1/none", "k"), CancellationToken.None);
        var info = await simulator.GetSessionAsync(session, CancellationToken.None);
        if (info.Status == GatewaySessionStatus.ScanQr)
            await simulator.ScanAsync(session, "6281100000001", "Toko Utama");
    }

    /// <summary>What the webhook path does for an inbound message: store it, bump the stored counters in SQL, announce it.</summary>
    private async Task ReceiveAsync(Guid tenantId, Guid workspaceId, Guid chatId, string body)
    {
        using var scope = app.Services.CreateScope();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateForTenant(tenantId);
        var now = DateTimeOffset.UtcNow;
        var message = new Message
        {
            TenantId = tenantId, WorkspaceId = workspaceId, ChatId = chatId, ExternalMessageId = "browser_" + Guid.NewGuid().ToString("N"),
            Direction = MessageDirection.Inbound, Origin = MessageOrigin.Customer, Body = body, Status = MessageStatus.Delivered, SentAt = now,
        };
        await db.InTransactionAsync(async ct =>
        {
            db.Messages.Add(message);
            await db.SaveChangesAsync(ct);
            var wasRead = await db.Chats.Where(c => c.Id == chatId).Select(c => c.UnreadCount == 0).FirstAsync(ct);
            await db.Chats.Where(c => c.Id == chatId).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.UnreadCount, c => c.UnreadCount + 1)
                .SetProperty(c => c.LastMessagePreview, body)
                .SetProperty(c => c.LastMessageAt, now), ct);
            await db.Workspaces.Where(w => w.Id == workspaceId).ExecuteUpdateAsync(s => s
                .SetProperty(w => w.UnreadMessages, w => w.UnreadMessages + 1)
                .SetProperty(w => w.UnreadChats, w => w.UnreadChats + (wasRead ? 1 : 0)), ct);
        });
        var bus = app.Services.GetRequiredService<IRealtimeBus>();
        await bus.PublishAsync(Topics.Workspace(workspaceId), new ChatMessageAdded(tenantId, workspaceId, chatId, message.Id, MessageDirection.Inbound));
        await bus.PublishAsync(Topics.Tenant(tenantId), new UnreadCountsChanged(tenantId, workspaceId));
    }
}
