using System.Text.RegularExpressions;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Layout;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static KelolaPesan.Tests.Webhooks.AppWorkspaces;

namespace KelolaPesan.Tests.Inbox;

/// <summary>
/// The habits of Chatwoot/Qontak users, in Chromium at phone and desktop size: the unread count in the tab title,
/// sound and desktop alert (the user's setting), the reply box focused on opening, Up/Down between chats, Esc to
/// close, replying takes the chat, assignee and labels on the rows, and a file previewed with its caption before it goes.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class InboxHabitsBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    // The page's audio and notifications are recorded instead of played: the app's own alert code runs unchanged.
    private const string RecordAlerts = """
        window.__alerts = [];
        HTMLMediaElement.prototype.play = function () { window.__alerts.push('sound ' + this.src); return Promise.resolve(); };
        window.Notification = class {
            constructor(title, options) { window.__alerts.push('notify ' + title + ' | ' + (options && options.body)); }
            static get permission() { return 'granted'; }
            static requestPermission() { return Promise.resolve('granted'); }
        };
        """;

    [Theory]
    [InlineData(390, 844)]
    [InlineData(1440, 900)]
    public async Task TheInbox_BehavesAsChatworkersExpect(int width, int height)
    {
        var stamp = Guid.NewGuid().ToString("N")[..6];
        var world = await SeedAsync(stamp);
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.Context.AddInitScriptAsync(RecordAlerts);
        try
        {
            await session.RunAsync(async page =>
            {
                await page.SetViewportSizeAsync(width, height);
                await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);

                // Alerts are the user's own choice, on /account.
                await page.GotoAsync("/account");
                await page.WaitForCircuitAsync();
                await Field(page, "account-alert-sound").CheckAsync();
                await Assertions.Expect(page.ByTestId("account-alerts-message")).ToBeVisibleAsync();
                await Field(page, "account-alert-desktop").CheckAsync();
                await EventuallyAsync(() => QueryAsync(app, db => db.Users.AnyAsync(u => u.Id == world.OwnerId && u.AlertSound && u.AlertDesktop)),
                    "alerts saved");

                await page.GotoAsync("/inbox");
                await page.WaitForCircuitAsync();
                await page.Locator("input[data-testid=all-workspaces], [data-testid=all-workspaces] input").First.CheckAsync();
                var held = Row(page, world.Held);
                await Assertions.Expect(held.Locator("[data-testid=chat-assignee]")).ToHaveTextAsync(world.AgentName);
                await Assertions.Expect(held.Locator("[data-testid=chat-label]")).ToHaveTextAsync($"VIP {stamp}");
                await Assertions.Expect(Row(page, world.First).Locator("[data-testid=chat-assignee]")).ToHaveCountAsync(0);

                // A customer writes: the count in the tab title goes up, and the alerts ring.
                var before = int.Parse(await page.ByTestId("total-unread-count").InnerTextAsync());
                await ConnectTheShopAsync(world.Session);
                await ReceiveAsync(world.TenantId, world.WorkspaceId, world.Second, "Kak, masih ada?");
                await Assertions.Expect(page.ByTestId("total-unread-count")).ToHaveTextAsync((before + 1).ToString());
                await Assertions.Expect(page).ToHaveTitleAsync(new Regex($@"^\({before + 1}\) "));
                await EventuallyAsync(async () => await page.EvaluateAsync<int>("() => window.__alerts.filter(a => a.startsWith('sound ')).length") > 0, "sound played");
                Assert.Contains(await page.EvaluateAsync<string[]>("() => window.__alerts"), a => a.StartsWith("notify ") && a.Contains($"{before + 1}"));

                // Opening a chat puts the cursor in the reply box; Up/Down walk the list; Esc closes the chat.
                await Row(page, world.First).ClickAsync();
                var box = page.Locator("[data-testid=composer] textarea").First;
                await Assertions.Expect(box).ToBeFocusedAsync();
                var order = await page.Locator("[data-testid=chat-list] [data-testid=chat-row]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.chatId)");
                var at = Array.IndexOf(order, world.First.ToString());
                Assert.True(at > 0, "the first seeded chat is below the one that just got a message");

                await page.Keyboard.PressAsync("ArrowDown");
                await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/inbox/{order[at + 1]}$"));
                await Assertions.Expect(box).ToBeFocusedAsync();
                await page.Keyboard.PressAsync("ArrowUp");
                await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/inbox/{order[at]}$"));
                await Assertions.Expect(box).ToBeFocusedAsync();
                await page.Keyboard.PressAsync("ArrowUp");
                await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/inbox/{order[at - 1]}$"));
                await Assertions.Expect(box).ToBeFocusedAsync();
                await page.Keyboard.PressAsync("Escape");
                await Assertions.Expect(page).ToHaveURLAsync(new Regex("/inbox$"));
                await Assertions.Expect(page.ByTestId("conversation")).ToHaveCountAsync(0);
                await Assertions.Expect(Row(page, world.First)).ToBeVisibleAsync();

                // Replying to the unassigned chat takes it: the row says so once the chat is closed again.
                await Row(page, world.First).ClickAsync();
                await Assertions.Expect(box).ToBeFocusedAsync();
                await box.FillAsync($"Siap kak {stamp}");
                await box.PressAsync("Enter");
                await Assertions.Expect(page.ByTestId("message").Filter(new() { HasText = $"Siap kak {stamp}" })).ToBeVisibleAsync();
                await EventuallyAsync(() => QueryAsync(app, db => db.Chats.AnyAsync(c => c.Id == world.First && c.AssignedUserId == world.OwnerId)), "chat assigned");
                await Assertions.Expect(box).ToHaveValueAsync("");
                await box.FocusAsync();
                await page.Keyboard.PressAsync("Escape");
                await Assertions.Expect(Row(page, world.First).Locator("[data-testid=chat-assignee]")).ToHaveTextAsync(world.OwnerName);

                // A picture waits in a preview with its caption until it is sent.
                await Row(page, world.First).ClickAsync();
                // MudFileUpload adds a fresh input after each pick (the used one stays, hidden): the last one is live.
                var file = await page.Locator("[data-testid=composer] input[type=file]").Last.ReadyInputFileAsync();
                await file.SetInputFilesAsync(new FilePayload { Name = "foto.png", MimeType = "image/png", Buffer = Png });
                await Assertions.Expect(page.ByTestId("attachment-preview-image")).ToBeVisibleAsync();
                await Assertions.Expect(page.ByTestId("attachment-preview-name")).ToHaveTextAsync("foto.png");
                await Field(page, "attachment-caption").FillAsync($"Foto produk {stamp}");
                await page.ByTestId("attachment-send").ClickAsync();
                await Assertions.Expect(page.ByTestId("attachment-preview")).ToHaveCountAsync(0);
                await Assertions.Expect(page.ByTestId("message").Filter(new() { HasText = $"Foto produk {stamp}" })).ToBeVisibleAsync();
                // Nothing of the sent file stays in the composer (it used to keep its name as a chip).
                await Assertions.Expect(page.ByTestId("composer").GetByText("foto.png")).ToHaveCountAsync(0);
                Assert.True(await QueryAsync(app, db => db.Messages.AnyAsync(m => m.ChatId == world.First && m.AttachmentId != null && m.Body == $"Foto produk {stamp}")));

                // Another file shows its name and size; Cancel sends nothing.
                await file.SetInputFilesAsync(new FilePayload { Name = $"katalog-{stamp}.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.4\n%katalog\n"u8.ToArray() });
                await Assertions.Expect(page.ByTestId("attachment-preview-name")).ToHaveTextAsync($"katalog-{stamp}.pdf");
                await Assertions.Expect(page.ByTestId("attachment-preview-size")).ToHaveTextAsync("18 B");
                await Assertions.Expect(page.ByTestId("attachment-preview-image")).ToHaveCountAsync(0);
                await page.ByTestId("attachment-cancel").ClickAsync();
                await Assertions.Expect(page.ByTestId("attachment-preview")).ToHaveCountAsync(0);
                await Assertions.Expect(page.ByTestId("composer").GetByText($"katalog-{stamp}.pdf")).ToHaveCountAsync(0);
                Assert.Equal(1, await QueryAsync(app, db => db.Messages.CountAsync(m => m.ChatId == world.First && m.AttachmentId != null)));

                await LayoutProbe.AssertFitsAsync(page, $"inbox with a chat open at {width}x{height}");
            });
        }
        finally
        {
            await QueryAsync(app, db => db.Users.Where(u => u.Id == world.OwnerId)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.AlertSound, false).SetProperty(u => u.AlertDesktop, false)));
        }
    }

    // MudBlazor puts the test id on the input itself or on its wrapper, depending on the component.
    private static ILocator Field(IPage page, string testId) => page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;

    private static ILocator Row(IPage page, Guid chatId) => page.Locator($"[data-testid=chat-row][data-chat-id='{chatId}']");

    private sealed record World(Guid TenantId, Guid WorkspaceId, string Session, Guid OwnerId, string OwnerName, string AgentName,
        Guid First, Guid Second, Guid Held);

    /// <summary>Three chats of the demo shop of their own, newest on top of the list: two unassigned, one held by the agent with a label.</summary>
    private Task<World> SeedAsync(string stamp) => QueryAsync(app, async db =>
    {
        var shop = await db.Workspaces.FirstAsync(w => w.Name == "Toko Utama");
        var owner = await db.Users.FirstAsync(u => u.TenantId == shop.TenantId && u.Username == DemoAccounts.OwnerUserName);
        var agent = await db.Users.FirstAsync(u => u.TenantId == shop.TenantId && u.Username == DemoAccounts.AgentUserName);
        var now = DateTimeOffset.UtcNow;
        Chat Add(string name, int secondsAgo, Guid? assigned)
        {
            var phone = "62814" + Random.Shared.Next(10_000_000, 99_999_999);
            var chat = new Chat
            {
                TenantId = shop.TenantId, WorkspaceId = shop.Id, ExternalChatId = phone + "@c.us", PhoneNumber = "+" + phone,
                DisplayName = name, LastMessageAt = now.AddSeconds(-secondsAgo), LastMessagePreview = "halo", AssignedUserId = assigned,
            };
            db.Chats.Add(chat);
            return chat;
        }
        var first = Add($"A {stamp}", 1, null);
        var second = Add($"B {stamp}", 2, null);
        var held = Add($"C {stamp}", 3, agent.Id);
        var label = new Label { TenantId = shop.TenantId, WorkspaceId = shop.Id, Name = $"VIP {stamp}", Color = "#C62828" };
        db.Labels.Add(label);
        db.ChatLabels.Add(new ChatLabel { TenantId = shop.TenantId, WorkspaceId = shop.Id, ChatId = held.Id, LabelId = label.Id });
        await db.SaveChangesAsync();
        return new World(shop.TenantId, shop.Id, shop.ExternalSessionId!, owner.Id, owner.DisplayName, agent.DisplayName, first.Id, second.Id, held.Id);
    });

    private async Task ConnectTheShopAsync(string session)
    {
        var simulator = app.Services.GetRequiredService<SimulatorGateway>();
        await simulator.EnsureSessionAsync(new GatewaySessionSetup(session, new Dictionary<string, string>(), "http://127.0.0.1/none", "k"), CancellationToken.None);
        var info = await simulator.GetSessionAsync(session, CancellationToken.None);
        if (info.Status == GatewaySessionStatus.ScanQr)
            await simulator.ScanAsync(session, "6281100000001", "Toko Utama");
    }

    /// <summary>What the webhook path does for an inbound message: store it, bump the stored counters, announce it.</summary>
    private async Task ReceiveAsync(Guid tenantId, Guid workspaceId, Guid chatId, string body)
    {
        var now = DateTimeOffset.UtcNow;
        await QueryAsync(app, async db =>
        {
            db.Messages.Add(new Message
            {
                TenantId = tenantId, WorkspaceId = workspaceId, ChatId = chatId, ExternalMessageId = "habit_" + Guid.NewGuid().ToString("N"),
                Direction = MessageDirection.Inbound, Origin = MessageOrigin.Customer, Body = body, Status = MessageStatus.Delivered, SentAt = now,
            });
            await db.SaveChangesAsync();
            await db.Chats.Where(c => c.Id == chatId).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.UnreadCount, c => c.UnreadCount + 1).SetProperty(c => c.LastMessagePreview, body).SetProperty(c => c.LastMessageAt, now));
            return await db.Workspaces.Where(w => w.Id == workspaceId).ExecuteUpdateAsync(s => s
                .SetProperty(w => w.UnreadMessages, w => w.UnreadMessages + 1).SetProperty(w => w.UnreadChats, w => w.UnreadChats + 1));
        });
        var bus = app.Services.GetRequiredService<IRealtimeBus>();
        await bus.PublishAsync(Topics.Workspace(workspaceId), new ChatMessageAdded(tenantId, workspaceId, chatId, Guid.NewGuid(), MessageDirection.Inbound));
        await bus.PublishAsync(Topics.Tenant(tenantId), new UnreadCountsChanged(tenantId, workspaceId));
    }
}
