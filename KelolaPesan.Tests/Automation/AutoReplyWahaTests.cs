using System.Net;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Automation;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static KelolaPesan.Tests.Webhooks.AppWorkspaces;

namespace KelolaPesan.Tests.Automation;

/// <summary>The bot through the real host in WAHA mode: signed webhooks in, replies counted at the fake WAHA.</summary>
public sealed class AutoReplyWahaTests : IAsyncLifetime
{
    private const string Me = "6280000000001@c.us";
    private FakeWahaServer _waha = null!;
    private KelolaAppFactory _app = null!;

    public async Task InitializeAsync()
    {
        _waha = await FakeWahaServer.StartAsync();
        _app = new KelolaAppFactory()
            .WithSetting("Gateway:Kind", "Waha")
            .WithSetting("Gateway:Waha:BaseUrl", _waha.BaseAddress.ToString())
            .WithSetting("Gateway:Waha:ApiKey", FakeWahaServer.DefaultApiKey)
            .WithSetting("Gateway:PublicBaseUrl", "http://kelola.example")
            .WithSetting("Gateway:MonitorIntervalSeconds", "0")
            .WithSetting("Automation:SweepSeconds", "1");
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _waha.DisposeAsync();
    }

    [Fact]
    public async Task AnEventDeliveredThreeTimes_GetsExactlyOneReplyAtWaha()
    {
        var ws = await WorkspaceWithRuleAsync(cooldownSeconds: 0, cap: 10);
        var body = FakeWahaServer.Envelope("message.any", ws.Session, FakeWahaServer.MessagePayload("in-1", "6281111111111@c.us", Me, " Berapa HÁRGA kaos?", pushName: "Andi"));
        for (var i = 0; i < 3; i++)
        {
            using var response = await FakeWahaServer.SendWebhookAsync(ws.WebhookUrl, ws.HmacKey, body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await ProcessedAsync(ws);
        await EventuallyAsync(async () => Replies(ws).Count == 1, "one reply at WAHA");
        await RepliesSettledAsync(ws);

        var sent = Assert.Single(Replies(ws));
        Assert.Equal("6281111111111@c.us", sent.Json!["chatId"]!.GetValue<string>());
        Assert.StartsWith("Halo Andi, harga kaos 80rb", sent.Json["text"]!.GetValue<string>());
        var reply = await QueryAsync(_app, db => db.BotReplies.SingleAsync(r => r.WorkspaceId == ws.WorkspaceId));
        Assert.Equal(BotReplyStatus.Sent, reply.Status);
        var outbound = await QueryAsync(_app, db => db.Messages.SingleAsync(m => m.Id == reply.OutboundMessageId));
        Assert.Equal((MessageDirection.Outbound, MessageOrigin.Bot, MessageStatus.Sent), (outbound.Direction, outbound.Origin, outbound.Status));
    }

    [Fact]
    public async Task AfterAnAgentReply_TheBotIsSilent_AndPausedChatsToo()
    {
        var ws = await WorkspaceWithRuleAsync(cooldownSeconds: 0, cap: 10);
        const string customer = "6282222222222@c.us";
        await CustomerSaysAsync(ws, "a-1", customer, "harga");
        await EventuallyAsync(async () => Replies(ws).Count == 1, "first reply");

        // An agent answers from the inbox: the bot stays out of this conversation for the takeover window.
        var chatId = await QueryAsync(_app, db => db.Chats.Where(c => c.WorkspaceId == ws.WorkspaceId).Select(c => c.Id).SingleAsync());
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().SetTenant(ws.TenantId);
            var owner = await QueryAsync(_app, db => db.Users.Where(u => u.TenantId == ws.TenantId && u.Role == UserRole.Owner).Select(u => u.Id).FirstAsync());
            await scope.ServiceProvider.GetRequiredService<InboxService>().SendTextAsync(new InboxViewer(owner, UserRole.Owner), chatId, "Saya bantu ya kak");
        }
        await CustomerSaysAsync(ws, "a-2", customer, "harga lagi");
        Assert.Equal("human takeover", await SuppressionOfAsync("a-2"));

        // A message from the business phone counts as a human reply too, in another chat.
        const string other = "6283333333333@c.us";
        await SendAsync(ws, FakeWahaServer.Envelope("message.any", ws.Session, FakeWahaServer.MessagePayload("p-1", Me, other, "Halo dari HP", fromMe: true)));
        await CustomerSaysAsync(ws, "b-1", other, "harga");
        Assert.Equal("human takeover", await SuppressionOfAsync("b-1"));

        // A paused chat: silent, without any human reply.
        const string third = "6284444444444@c.us";
        await CustomerSaysAsync(ws, "c-1", third, "harga");
        await EventuallyAsync(async () => Replies(ws).Count == 2, "reply in the third chat");
        var thirdChat = await QueryAsync(_app, db => db.Chats.Where(c => c.ExternalChatId == third && c.WorkspaceId == ws.WorkspaceId).Select(c => c.Id).SingleAsync());
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().SetTenant(ws.TenantId);
            await scope.ServiceProvider.GetRequiredService<AutomationService>().SetBotPausedAsync(thirdChat, true);
        }
        await CustomerSaysAsync(ws, "c-2", third, "harga");
        Assert.Equal("paused", await SuppressionOfAsync("c-2"));
        Assert.Equal(2, Replies(ws).Count);
        Assert.Single(_waha.RequestsTo("POST", "/api/sendText"), r => r.Json?["text"]?.GetValue<string>() == "Saya bantu ya kak");
    }

    [Fact]
    public async Task CooldownAndHourlyCap_Hold()
    {
        var cooled = await WorkspaceWithRuleAsync(cooldownSeconds: 3600, cap: 10);
        await CustomerSaysAsync(cooled, "cd-1", "6285555555555@c.us", "harga");
        await CustomerSaysAsync(cooled, "cd-2", "6285555555555@c.us", "harga dong");
        Assert.Equal("cooldown", await SuppressionOfAsync("cd-2"));
        Assert.Single(Replies(cooled));

        var capped = await WorkspaceWithRuleAsync(cooldownSeconds: 0, cap: 2, name: "Capped");
        for (var i = 1; i <= 4; i++)
            await CustomerSaysAsync(capped, $"cap-{i}", "6286666666666@c.us", $"harga {i}");
        Assert.Equal("hourly cap", await SuppressionOfAsync("cap-3"));
        Assert.Equal("hourly cap", await SuppressionOfAsync("cap-4"));
        Assert.Equal(2, Replies(capped).Count);
    }

    [Fact]
    public async Task ASuspendedLicence_SilencesTheBot()
    {
        var ws = await WorkspaceWithRuleAsync(cooldownSeconds: 0, cap: 10, name: "Suspended");
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await using var db = scope.ServiceProvider.GetRequiredService<Core.Common.IKelolaDbFactory>().CreateSystem();
            await Seed.SetLicenceStatusAsync(db, ws.TenantId, LicenceStatus.Suspended);
        }

        await CustomerSaysAsync(ws, "lic-1", "6288888888888@c.us", "harga");

        Assert.Equal("licence suspended or expired", await SuppressionOfAsync("lic-1"));
        Assert.Empty(Replies(ws));
    }

    [Fact]
    public async Task WatermarkedOrEchoedBotTalk_IsNeverAnswered_SoTwoBotsCannotPingPong()
    {
        var ws = await WorkspaceWithRuleAsync(cooldownSeconds: 0, cap: 100);
        const string otherBot = "6287777777777@c.us";
        await CustomerSaysAsync(ws, "w-1", otherBot, "harga?\n\n_Dikirim dengan Kelola Pesan_");
        await CustomerSaysAsync(ws, "w-2", otherBot, "harga");
        await EventuallyAsync(async () => Replies(ws).Count == 1, "a reply to the plain message");
        // The other side echoes our own reply back word for word: an automated loop, not a customer.
        var ours = Replies(ws)[0].Json!["text"]!.GetValue<string>();
        await CustomerSaysAsync(ws, "w-3", otherBot, ours);
        await RepliesSettledAsync(ws);

        Assert.Single(Replies(ws));
        var claimed = await QueryAsync(_app, db => db.BotReplies.Where(r => r.WorkspaceId == ws.WorkspaceId).CountAsync());
        Assert.Equal(1, claimed);
    }

    [Fact]
    public async Task ADelayedReply_IsSentByTheJobWhenDue()
    {
        var ws = await WorkspaceWithRuleAsync(cooldownSeconds: 0, cap: 10, delaySeconds: 2);
        await CustomerSaysAsync(ws, "d-1", "6288888888888@c.us", "harga");
        var reply = await QueryAsync(_app, db => db.BotReplies.SingleAsync(r => r.WorkspaceId == ws.WorkspaceId));
        Assert.Equal(BotReplyStatus.Scheduled, reply.Status);
        Assert.NotNull(reply.DueAt);
        Assert.Empty(Replies(ws));

        await EventuallyAsync(async () => Replies(ws).Count == 1, "delayed reply sent", seconds: 20);
        await EventuallyAsync(() => QueryAsync(_app, db => db.BotReplies.AnyAsync(r => r.Id == reply.Id && r.Status == BotReplyStatus.Sent)), "reply marked sent");
    }

    [Fact]
    public async Task ARuleWithAnAttachment_SendsOneMediaMessageWithTheReplyAsCaption_ShownInTheInboxAsTheBots()
    {
        var ws = await WorkspaceWithRuleAsync(cooldownSeconds: 0, cap: 10);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 1, 2, 3, 4];
        // Stored the way the rule editor stores it: the inbox's upload path (policy limit, type from the bytes).
        var upload = await InTenantAsync(ws, sp => sp.GetRequiredService<InboxService>()
            .UploadAttachmentAsync(ws.WorkspaceId, new OutgoingFile(new MemoryStream(png), "katalog.bin")));
        Assert.Equal("image/png", upload.MimeType);
        await InTenantAsync(ws, async sp =>
        {
            var automation = sp.GetRequiredService<AutomationService>();
            var input = BotRuleInput.From((await automation.ListRulesAsync(ws.WorkspaceId)).Single());
            input.AttachmentId = upload.Id;
            return await automation.SaveRuleAsync(ws.WorkspaceId, input);
        });

        const string customer = "6281212121212@c.us";
        var body = FakeWahaServer.Envelope("message.any", ws.Session, FakeWahaServer.MessagePayload("m-1", customer, Me, "harga?", pushName: "Andi"));
        for (var i = 0; i < 3; i++)
            await SendAsync(ws, body);
        List<RecordedRequest> Media() => _waha.RequestsTo("POST", "/api/sendImage").Where(r => r.Json?["session"]?.GetValue<string>() == ws.Session).ToList();
        await EventuallyAsync(async () => Media().Count == 1, "one media reply at WAHA");
        await RepliesSettledAsync(ws);

        var sent = Assert.Single(Media());
        Assert.Equal(customer, sent.Json!["chatId"]!.GetValue<string>());
        Assert.StartsWith("Halo Andi, harga kaos 80rb", sent.Json["caption"]!.GetValue<string>());
        Assert.Equal("image/png", sent.Json["file"]!["mimetype"]!.GetValue<string>());
        Assert.Equal(png, Convert.FromBase64String(sent.Json["file"]!["data"]!.GetValue<string>()));
        Assert.Empty(Replies(ws));

        // In the inbox: one outbound message from the bot carrying the file (its own copy, not the rule's).
        var reply = await QueryAsync(_app, db => db.BotReplies.SingleAsync(r => r.WorkspaceId == ws.WorkspaceId));
        Assert.Equal(BotReplyStatus.Sent, reply.Status);
        var owner = await QueryAsync(_app, db => db.Users.Where(u => u.TenantId == ws.TenantId && u.Role == UserRole.Owner).Select(u => u.Id).FirstAsync());
        var page = await InTenantAsync(ws, sp => sp.GetRequiredService<InboxService>().GetMessagesAsync(new InboxViewer(owner, UserRole.Owner), reply.ChatId));
        var shown = Assert.Single(page.Messages, m => m.Direction == MessageDirection.Outbound);
        Assert.Equal((MessageOrigin.Bot, AutomationService.BotSenderName, MessageStatus.Sent), (shown.Origin, shown.SenderName, shown.Status));
        Assert.NotNull(shown.Attachment);
        Assert.NotEqual(upload.Id, shown.Attachment.Id);
        Assert.Equal(("katalog.bin", "image/png"), (shown.Attachment.FileName, shown.Attachment.MimeType));
    }

    [Fact]
    public async Task AddToList_WhenTheChatHasNoContact_CreatesItFromTheChatAndAddsIt()
    {
        var ws = await WorkspaceWithRuleAsync(cooldownSeconds: 0, cap: 10);
        var list = new Core.Contacts.ContactList { TenantId = ws.TenantId, WorkspaceId = ws.WorkspaceId, Name = "Tanya harga" };
        await QueryAsync(_app, async db =>
        {
            db.ContactLists.Add(list);
            var rule = await db.BotRules.SingleAsync(r => r.WorkspaceId == ws.WorkspaceId);
            rule.AddToListId = list.Id;
            return await db.SaveChangesAsync();
        });

        await CustomerSaysAsync(ws, "l-1", "6289191919191@c.us", "harga");
        await EventuallyAsync(async () => Replies(ws).Count == 1, "the reply");
        var chat = await QueryAsync(_app, db => db.Chats.SingleAsync(c => c.WorkspaceId == ws.WorkspaceId));
        Assert.NotNull(chat.ContactId);
        var contact = await QueryAsync(_app, db => db.Contacts.SingleAsync(c => c.WorkspaceId == ws.WorkspaceId));
        Assert.Equal((chat.ContactId, "+6289191919191", "Andi"), ((Guid?)contact.Id, contact.Phone, contact.Name));
        Assert.True(await QueryAsync(_app, db => db.ContactListMembers.AnyAsync(m => m.ContactListId == list.Id && m.ContactId == contact.Id)));

        // A second message in the same chat: the same contact, still one membership.
        await CustomerSaysAsync(ws, "l-2", "6289191919191@c.us", "harga lagi");
        await EventuallyAsync(async () => Replies(ws).Count == 2, "the second reply");
        Assert.Equal(1, await QueryAsync(_app, db => db.Contacts.CountAsync(c => c.WorkspaceId == ws.WorkspaceId)));
        Assert.Equal(1, await QueryAsync(_app, db => db.ContactListMembers.CountAsync(m => m.ContactListId == list.Id)));
    }

    private async Task<T> InTenantAsync<T>(TestWorkspace ws, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().SetTenant(ws.TenantId);
        return await action(scope.ServiceProvider);
    }

    /// <summary>The bot's sends to WAHA for this workspace (an agent's reply goes the same way and is left out).</summary>
    private List<RecordedRequest> Replies(TestWorkspace ws) =>
        _waha.RequestsTo("POST", "/api/sendText")
            .Where(r => r.Json?["session"]?.GetValue<string>() == ws.Session && r.Json["text"]?.GetValue<string>().Contains("harga kaos 80rb") == true)
            .ToList();

    private async Task<TestWorkspace> WorkspaceWithRuleAsync(int cooldownSeconds, int cap, int delaySeconds = 0, string name = "Bot test")
    {
        var ws = await CreateAsync(_app, name);
        _waha.AddSession(ws.Session);
        await using var scope = _app.Services.CreateAsyncScope();
        await using var db = scope.ServiceProvider.GetRequiredService<Core.Common.IKelolaDbFactory>().CreateSystem();
        var rule = new BotRule
        {
            TenantId = ws.TenantId, WorkspaceId = ws.WorkspaceId, Name = "Harga", Trigger = BotTrigger.Keyword, MatchMode = KeywordMatchMode.Contains,
            Priority = 1, ReplyTemplate = "Halo {name}, harga kaos 80rb", DelaySeconds = delaySeconds,
        };
        rule.Keywords.Add(new BotKeyword { TenantId = ws.TenantId, WorkspaceId = ws.WorkspaceId, RuleId = rule.Id, Keyword = "harga" });
        db.BotRules.Add(rule);
        db.BotSettings.Add(new BotSettings
        {
            TenantId = ws.TenantId, WorkspaceId = ws.WorkspaceId, Enabled = true, HumanTakeoverMinutes = 30,
            CooldownSeconds = cooldownSeconds, MaxRepliesPerHour = cap,
        });
        await db.SaveChangesAsync();
        return ws;
    }

    private async Task CustomerSaysAsync(TestWorkspace ws, string id, string from, string text)
    {
        await SendAsync(ws, FakeWahaServer.Envelope("message.any", ws.Session, FakeWahaServer.MessagePayload(id, from, Me, text, pushName: "Andi")));
        await EventuallyAsync(() => QueryAsync(_app, db => db.Messages.AnyAsync(m => m.ExternalMessageId == id)), $"message {id} stored");
        await ProcessedAsync(ws);
    }

    private async Task SendAsync(TestWorkspace ws, byte[] body)
    {
        using var response = await FakeWahaServer.SendWebhookAsync(ws.WebhookUrl, ws.HmacKey, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await ProcessedAsync(ws);
    }

    /// <summary>
    /// The positive marker before asserting that nothing more was sent: every event is processed (so every reply the bot
    /// will ever claim for them is claimed) and every claimed reply has reached a final state (so none is still on its way).
    /// </summary>
    private async Task RepliesSettledAsync(TestWorkspace ws)
    {
        await ProcessedAsync(ws);
        await EventuallyAsync(() => QueryAsync(_app, db => db.BotReplies.Where(r => r.WorkspaceId == ws.WorkspaceId).AllAsync(r => r.Status != BotReplyStatus.Scheduled)),
            "every claimed reply settled");
    }

    private Task ProcessedAsync(TestWorkspace ws) =>
        EventuallyAsync(() => QueryAsync(_app, db => db.InboundWebhookEvents.Where(e => e.WorkspaceId == ws.WorkspaceId).AllAsync(e => e.ProcessedAt != null)), "events processed");

    private async Task<string?> SuppressionOfAsync(string externalId)
    {
        var reply = await QueryAsync(_app, db => (from m in db.Messages
                                                   join r in db.BotReplies on m.Id equals r.InboundMessageId
                                                   where m.ExternalMessageId == externalId
                                                   select r).SingleAsync());
        Assert.Equal(BotReplyStatus.Suppressed, reply.Status);
        return reply.Error;
    }
}
