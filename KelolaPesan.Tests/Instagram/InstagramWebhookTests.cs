using System.Net;
using System.Text.Json.Nodes;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Automation;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Instagram;
using KelolaPesan.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static KelolaPesan.Tests.Webhooks.AppWorkspaces;

namespace KelolaPesan.Tests.Instagram;

/// <summary><c>/webhooks/instagram</c> through the real host: handshake, signature before anything, comments to private replies, DMs to the inbox.</summary>
public sealed class InstagramWebhookTests(InstagramAppHost host) : IClassFixture<InstagramAppHost>
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task Handshake_AnswersTheChallenge_OnlyForTheRightToken()
    {
        var ok = await Http.GetAsync($"{host.WebhookUrl}?hub.mode=subscribe&hub.verify_token={InstagramAppHost.VerifyToken}&hub.challenge=12345");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("12345", await ok.Content.ReadAsStringAsync());

        var wrong = await Http.GetAsync($"{host.WebhookUrl}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=12345");
        var badMode = await Http.GetAsync($"{host.WebhookUrl}?hub.mode=unsubscribe&hub.verify_token={InstagramAppHost.VerifyToken}&hub.challenge=12345");
        var none = await Http.GetAsync(host.WebhookUrl);
        Assert.All([wrong, badMode, none], r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.DoesNotContain("12345", await wrong.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TamperedWrongOrMissingSignature_Answers401_AndStoresNothing()
    {
        var account = await host.ConnectAsync();
        var envelope = FakeGraphServer.CommentWebhook("c-sig-1", "harga?", "9001", "andi", "m-1", account.InstagramUserId);
        var before = await host.QueryAsync(db => db.InboundWebhookEvents.CountAsync(e => e.Source == WebhookSource.Instagram));

        using var wrongSecret = await FakeGraphServer.PostWebhookAsync(host.WebhookUrl, envelope, appSecret: "not-the-secret");
        using var unsigned = await FakeGraphServer.PostWebhookAsync(host.WebhookUrl, envelope, signature: "");
        using var garbage = await FakeGraphServer.PostWebhookAsync(host.WebhookUrl, envelope, signature: "sha256=zz");
        var body = System.Text.Encoding.UTF8.GetBytes(envelope.ToJsonString());
        var tamperedBody = System.Text.Encoding.UTF8.GetBytes(envelope.ToJsonString().Replace("harga?", "harga!"));
        using var tampered = new HttpRequestMessage(HttpMethod.Post, host.WebhookUrl) { Content = new ByteArrayContent(tamperedBody) };
        tampered.Headers.Add(InstagramSignature.Header, FakeGraphServer.SignatureHeader(body));
        using var tamperedResponse = await Http.SendAsync(tampered);

        Assert.All([wrongSecret, unsigned, garbage, tamperedResponse], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));

        // The same envelope, signed right, is taken: the refusals were about the signature alone.
        using var good = await FakeGraphServer.PostWebhookAsync(host.WebhookUrl, envelope);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        await EventuallyAsync(() => host.QueryAsync(db => db.InstagramComments.AnyAsync(c => c.WorkspaceId == account.WorkspaceId)), "comment stored");

        // Once the good delivery is in (the positive marker), exactly its one row and one comment exist:
        // none of the refused deliveries left anything behind, early or late.
        Assert.Equal(before + 1, await host.QueryAsync(db => db.InboundWebhookEvents.CountAsync(e => e.Source == WebhookSource.Instagram)));
        Assert.Equal(1, await host.QueryAsync(db => db.InstagramComments.CountAsync(c => c.WorkspaceId == account.WorkspaceId)));
    }

    [Fact]
    public async Task ACommentDeliveredTwice_IsStoredOnce_AndGetsOnePrivateReply()
    {
        var account = await host.ConnectAsync();
        await host.CreateAutomationAsync(account, new CommentAutomationInput
        {
            Name = "Harga", Keywords = ["harga"], PrivateReplyTemplate = "Hai {username}, harga kaos 80rb", PublicReplyTemplate = "Cek DM ya {username}",
        });
        var envelope = FakeGraphServer.CommentWebhook("c-twice-1", "Berapa HARGA-nya kak?", "9002", "budi", "m-2", account.InstagramUserId);

        // Meta's redelivery is not byte-identical (another entry time): only the comment id can tell it is the same.
        var redelivery = (JsonObject)envelope.DeepClone();
        redelivery["entry"]![0]!["time"] = envelope["entry"]![0]!["time"]!.GetValue<long>() + 7;
        foreach (var body in new[] { envelope, redelivery, envelope })
        {
            using var response = await FakeGraphServer.PostWebhookAsync(host.WebhookUrl, body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await EventuallyAsync(() => host.QueryAsync(db => db.CommentReplies.AnyAsync(r => r.CommentId == "c-twice-1" && r.PublicReplyId != null)), "replies sent");
        await EventuallyAsync(() => host.QueryAsync(db => db.InboundWebhookEvents.Where(e => e.Source == WebhookSource.Instagram).AllAsync(e => e.ProcessedAt != null)), "events processed");

        Assert.Equal(2, await host.QueryAsync(db => db.InboundWebhookEvents.CountAsync(e => e.Payload.Contains("c-twice-1"))));
        Assert.Equal(1, await host.QueryAsync(db => db.InstagramComments.CountAsync(c => c.CommentId == "c-twice-1")));
        var sent = Assert.Single(host.Graph.PrivateReplies, m => m.CommentId == "c-twice-1");
        Assert.Equal(("Hai budi, harga kaos 80rb", account.InstagramUserId), (sent.Text, sent.IgUserId));
        var publicReply = Assert.Single(host.Graph.CommentReplies, r => r.CommentId == "c-twice-1");
        Assert.Equal("Cek DM ya budi", publicReply.Message);
        var reply = await host.QueryAsync(db => db.CommentReplies.SingleAsync(r => r.CommentId == "c-twice-1"));
        Assert.Equal((sent.MessageId, publicReply.ReplyId, "Hai budi, harga kaos 80rb"), (reply.ExternalMessageId, reply.PublicReplyId, reply.PrivateReplyMessage));
        Assert.NotNull(reply.SentAt);
        var comment = await host.QueryAsync(db => db.InstagramComments.SingleAsync(c => c.CommentId == "c-twice-1"));
        Assert.Equal(("9002", "budi", "m-2", "Berapa HARGA-nya kak?"), (comment.CommenterId, comment.CommenterUsername, comment.MediaId, comment.Text));
        Assert.Contains("c-twice-1", comment.WebhookPayload);
    }

    [Fact]
    public async Task OwnComments_TriggerNothing_SoAReplyWithItsKeywordDoesNotLoop()
    {
        var account = await host.ConnectAsync();
        await host.CreateAutomationAsync(account, new CommentAutomationInput
        {
            Name = "Loop", Keywords = ["info"], PrivateReplyTemplate = "Ini info lengkapnya", PublicReplyTemplate = "Info sudah dikirim lewat DM",
        });
        await PostAsync(FakeGraphServer.CommentWebhook("c-loop-1", "info dong", "9003", "citra", "m-3", account.InstagramUserId));
        await EventuallyAsync(() => host.QueryAsync(db => db.CommentReplies.AnyAsync(r => r.CommentId == "c-loop-1" && r.PublicReplyId != null)), "replies sent");
        var publicReply = Assert.Single(host.Graph.CommentReplies, r => r.CommentId == "c-loop-1");

        // Meta delivers our own public reply (it contains "info") as a comment by the account itself.
        await PostAsync(FakeGraphServer.CommentWebhook(publicReply.ReplyId, publicReply.Message, account.InstagramUserId, "toko", "m-3", account.InstagramUserId, parentId: "c-loop-1"));
        // And a plain own comment with the keyword.
        await PostAsync(FakeGraphServer.CommentWebhook("c-own-2", "info promo hari ini", account.InstagramUserId, "toko", "m-3", account.InstagramUserId));
        await EventuallyAsync(() => host.QueryAsync(db => db.InboundWebhookEvents.Where(e => e.Source == WebhookSource.Instagram).AllAsync(e => e.ProcessedAt != null)), "events processed");

        Assert.Equal(1, await host.QueryAsync(db => db.InstagramComments.CountAsync(c => c.WorkspaceId == account.WorkspaceId)));
        Assert.Equal(1, await host.QueryAsync(db => db.CommentReplies.CountAsync(r => r.WorkspaceId == account.WorkspaceId)));
        Assert.Single(host.Graph.PrivateReplies, m => m.IgUserId == account.InstagramUserId);
    }

    [Fact]
    public async Task AnUnknownAccount_IsIgnored_AndRecorded()
    {
        await PostAsync(FakeGraphServer.CommentWebhook("c-unknown-1", "halo", "9004", "dedi", "m-4", "17841499999999999"));
        await EventuallyAsync(() => host.QueryAsync(db => db.InboundWebhookEvents.AnyAsync(e => e.Payload.Contains("c-unknown-1") && e.ProcessedAt != null)), "processed");
        var row = await host.QueryAsync(db => db.InboundWebhookEvents.SingleAsync(e => e.Payload.Contains("c-unknown-1")));
        Assert.Contains("17841499999999999", row.Error);
        Assert.False(await host.QueryAsync(db => db.InstagramComments.AnyAsync(c => c.CommentId == "c-unknown-1")));
    }

    [Fact]
    public async Task ADirectMessage_CreatesAnInstagramChat_InTheInbox_AndEchoesAreDropped()
    {
        var account = await host.ConnectAsync();
        // The commenter's username is known from a comment: the chat is named after it.
        await PostAsync(FakeGraphServer.CommentWebhook("c-dm-1", "keren", "5550001", "eka", "m-5", account.InstagramUserId));
        await EventuallyAsync(() => host.QueryAsync(db => db.InstagramComments.AnyAsync(c => c.CommentId == "c-dm-1")), "comment stored");

        await PostAsync(FakeGraphServer.MessageWebhook("mid-1", "5550001", "Kak, ready size M?", account.InstagramUserId));
        await PostAsync(FakeGraphServer.MessageWebhook("mid-1", "5550001", "Kak, ready size M?", account.InstagramUserId)); // redelivered
        await PostAsync(FakeGraphServer.MessageWebhook("mid-echo", account.InstagramUserId, "Ready kak", account.InstagramUserId, recipientId: "5550001", isEcho: true));
        await EventuallyAsync(() => host.QueryAsync(db => db.InboundWebhookEvents.Where(e => e.Source == WebhookSource.Instagram).AllAsync(e => e.ProcessedAt != null)), "events processed");

        var owner = await OwnerAsync(account);
        var page = await host.InTenantAsync(account.TenantId, sp => sp.GetRequiredService<InboxService>().ListChatsAsync(owner, new ChatListQuery(account.WorkspaceId)));
        var chat = Assert.Single(page.Items);
        Assert.Equal((Channel.Instagram, "@eka", "Kak, ready size M?", 1), (chat.Channel, chat.DisplayName, chat.Preview, chat.UnreadCount));
        var messages = await host.InTenantAsync(account.TenantId, sp => sp.GetRequiredService<InboxService>().GetMessagesAsync(owner, chat.Id));
        var message = Assert.Single(messages.Messages);
        Assert.Equal((MessageDirection.Inbound, "Kak, ready size M?"), (message.Direction, message.Body));
        var stored = await host.QueryAsync(db => db.Chats.SingleAsync(c => c.Id == chat.Id));
        Assert.Equal("5550001", stored.ExternalChatId);
        Assert.NotNull(stored.LastInboundAt);
        Assert.False(await host.QueryAsync(db => db.Messages.AnyAsync(m => m.ExternalMessageId == "mid-echo")));
    }

    [Fact]
    public async Task AReplyWithinTheWindow_GoesThroughTheGraph_AndOutsideItIsRefused()
    {
        var account = await host.ConnectAsync();
        await PostAsync(FakeGraphServer.MessageWebhook("mid-w-1", "5550002", "Halo", account.InstagramUserId));
        await EventuallyAsync(() => host.QueryAsync(db => db.Messages.AnyAsync(m => m.ExternalMessageId == "mid-w-1")), "DM stored");
        var chatId = await host.QueryAsync(db => db.Chats.Where(c => c.WorkspaceId == account.WorkspaceId).Select(c => c.Id).SingleAsync());
        var owner = await OwnerAsync(account);

        var sent = await host.InTenantAsync(account.TenantId, sp => sp.GetRequiredService<InboxService>().SendTextAsync(owner, chatId, "Halo juga kak"));
        Assert.Equal(MessageStatus.Sent, sent.Status);
        var dm = Assert.Single(host.Graph.DirectMessages, m => m.RecipientId == "5550002");
        Assert.Equal(("Halo juga kak", account.InstagramUserId), (dm.Text, dm.IgUserId));
        Assert.Equal(dm.MessageId, await host.QueryAsync(db => db.Messages.Where(m => m.Id == sent.Id).Select(m => m.ExternalMessageId).SingleAsync()));

        // Over 1000 bytes: refused before anything is stored.
        var tooLong = new string('é', 501);
        await Assert.ThrowsAsync<FluentValidation.ValidationException>(() =>
            host.InTenantAsync(account.TenantId, sp => sp.GetRequiredService<InboxService>().SendTextAsync(owner, chatId, tooLong)));

        // The customer's last message is 25 hours old: the window is closed.
        await host.QueryAsync(db => db.Chats.Where(c => c.Id == chatId).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastInboundAt, DateTimeOffset.UtcNow.AddHours(-25))));
        var refused = await Assert.ThrowsAsync<InstagramWindowClosedException>(() =>
            host.InTenantAsync(account.TenantId, sp => sp.GetRequiredService<InboxService>().SendTextAsync(owner, chatId, "Masih ada kak?")));
        Assert.Contains("24-hour", refused.Message);
        Assert.Single(host.Graph.DirectMessages, m => m.RecipientId == "5550002");
        Assert.Equal(2, await host.QueryAsync(db => db.Messages.CountAsync(m => m.ChatId == chatId)));
    }

    [Fact]
    public async Task ABotRule_AnswersAnInstagramDm_ThroughTheGraph()
    {
        var account = await host.ConnectAsync();
        await host.QueryAsync(async db =>
        {
            var rule = new BotRule
            {
                TenantId = account.TenantId, WorkspaceId = account.WorkspaceId, Name = "Ongkir", Trigger = BotTrigger.Keyword,
                MatchMode = KeywordMatchMode.Contains, Priority = 1, ReplyTemplate = "Ongkir flat 10rb kak",
            };
            rule.Keywords.Add(new BotKeyword { TenantId = account.TenantId, WorkspaceId = account.WorkspaceId, RuleId = rule.Id, Keyword = "ongkir" });
            db.BotRules.Add(rule);
            db.BotSettings.Add(new BotSettings { TenantId = account.TenantId, WorkspaceId = account.WorkspaceId, Enabled = true, CooldownSeconds = 0 });
            return await db.SaveChangesAsync();
        });

        await PostAsync(FakeGraphServer.MessageWebhook("mid-bot-1", "5550003", "ongkir ke Bandung?", account.InstagramUserId));
        await EventuallyAsync(() => Task.FromResult(host.Graph.DirectMessages.Any(m => m.RecipientId == "5550003")), "bot reply at the Graph");

        var reply = Assert.Single(host.Graph.DirectMessages, m => m.RecipientId == "5550003");
        Assert.StartsWith("Ongkir flat 10rb kak", reply.Text);
        // The Graph answers before the bot's Sent commit lands: wait for the stored outcome, not the request.
        await EventuallyAsync(() => host.QueryAsync(db => db.Messages.AnyAsync(m =>
            m.WorkspaceId == account.WorkspaceId && m.Direction == MessageDirection.Outbound && m.Status != MessageStatus.Pending)), "bot reply stored as sent");
        var outbound = await host.QueryAsync(db => db.Messages.SingleAsync(m => m.WorkspaceId == account.WorkspaceId && m.Direction == MessageDirection.Outbound));
        Assert.Equal((MessageOrigin.Bot, MessageStatus.Sent, reply.MessageId), (outbound.Origin, outbound.Status, outbound.ExternalMessageId));
    }

    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 1, 2, 3];

    [Fact]
    public async Task AnAgentsFile_GoesAfterItsCaption_AsAnAttachmentMetaFetchesFromASignedLink()
    {
        var account = await host.ConnectAsync();
        var chatId = await InboundDmAsync(account, "mid-f-1", "5550011");
        var owner = await OwnerAsync(account);

        var sent = await host.InTenantAsync(account.TenantId, sp => sp.GetRequiredService<InboxService>()
            .SendAttachmentAsync(owner, chatId, new OutgoingFile(new MemoryStream(Png), "katalog.png"), "Ini katalognya kak"));

        Assert.Equal(MessageStatus.Sent, sent.Status);
        var dms = host.Graph.DirectMessages.Where(m => m.RecipientId == "5550011").ToList();
        Assert.Equal(2, dms.Count);
        Assert.Equal(("Ini katalognya kak", null), (dms[0].Text, dms[0].AttachmentType));
        var file = dms[1];
        Assert.Equal(("image", account.InstagramUserId), (file.AttachmentType, file.IgUserId));
        // Meta got the very bytes, typed from them, with the name the customer sees.
        Assert.Equal((200, "image/png", "katalog.png"), (file.Media!.Status, file.Media.ContentType, file.Media.FileName));
        Assert.Equal(Png, file.Media.Content);
        Assert.StartsWith(host.App.BaseUrl + "/instagram/media/", file.Media.Url);
        Assert.Equal(file.MessageId, await host.QueryAsync(db => db.Messages.Where(m => m.Id == sent.Id).Select(m => m.ExternalMessageId).SingleAsync()));

        // The link is the only permission: a token altered by one character serves nothing.
        var uri = new Uri(file.Media.Url);
        var segments = uri.AbsolutePath.Split('/');
        var token = segments[^2];
        segments[^2] = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];
        using var forged = await Http.GetAsync(new Uri(uri, string.Join('/', segments)));
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
    }

    [Fact]
    public async Task AFileInstagramDoesNotTake_IsRefusedBeforeSending_AndNothingIsKept()
    {
        var account = await host.ConnectAsync();
        var chatId = await InboundDmAsync(account, "mid-f-2", "5550012");
        var owner = await OwnerAsync(account);
        var webp = "RIFF\u0001\u0002\u0003\u0004WEBPVP8 "u8.ToArray();
        var bigPng = new byte[8_500_000];
        Png.CopyTo(bigPng, 0);

        var type = await Assert.ThrowsAsync<InstagramFileRefusedException>(() => host.InTenantAsync(account.TenantId, sp =>
            sp.GetRequiredService<InboxService>().SendAttachmentAsync(owner, chatId, new OutgoingFile(new MemoryStream(webp), "foto.webp"), null)));
        var size = await Assert.ThrowsAsync<InstagramFileRefusedException>(() => host.InTenantAsync(account.TenantId, sp =>
            sp.GetRequiredService<InboxService>().SendAttachmentAsync(owner, chatId, new OutgoingFile(new MemoryStream(bigPng), "besar.png"), null)));

        Assert.Equal("Instagram_FileTypeRefused", type.Problem.Code);
        Assert.Equal(("Instagram_ImageTooLarge", "8"), (size.Problem.Code, Convert.ToString(size.Problem.Args.Single(), System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("An image for Instagram can be at most 8 MB.", InCulture("en", () => size.Problem.Text));
        Assert.Equal("Gambar untuk Instagram paling besar 8 MB.", InCulture("id", () => size.Problem.Text));
        Assert.DoesNotContain(host.Graph.DirectMessages, m => m.RecipientId == "5550012");
        Assert.Equal(1, await host.QueryAsync(db => db.Messages.CountAsync(m => m.ChatId == chatId)));
        Assert.False(await host.QueryAsync(db => db.Attachments.AnyAsync(a => a.WorkspaceId == account.WorkspaceId)));
    }

    [Fact]
    public async Task ABotRulesFile_GoesToAnInstagramDm_WithItsText()
    {
        var account = await host.ConnectAsync();
        var owner = await OwnerAsync(account);
        var pdf = "%PDF-1.4\n%fake price list\n"u8.ToArray();
        var file = await host.InTenantAsync(account.TenantId, sp => sp.GetRequiredService<InboxService>()
            .UploadAttachmentAsync(account.WorkspaceId, new OutgoingFile(new MemoryStream(pdf), "harga.pdf")));
        await host.QueryAsync(async db =>
        {
            var rule = new BotRule
            {
                TenantId = account.TenantId, WorkspaceId = account.WorkspaceId, Name = "Daftar harga", Trigger = BotTrigger.Keyword,
                MatchMode = KeywordMatchMode.Contains, Priority = 1, ReplyTemplate = "Ini daftar harganya kak", AttachmentId = file.Id,
            };
            rule.Keywords.Add(new BotKeyword { TenantId = account.TenantId, WorkspaceId = account.WorkspaceId, RuleId = rule.Id, Keyword = "pricelist" });
            db.BotRules.Add(rule);
            db.BotSettings.Add(new BotSettings { TenantId = account.TenantId, WorkspaceId = account.WorkspaceId, Enabled = true, CooldownSeconds = 0 });
            return await db.SaveChangesAsync();
        });

        await PostAsync(FakeGraphServer.MessageWebhook("mid-bot-f", "5550013", "minta pricelist dong", account.InstagramUserId));
        await EventuallyAsync(() => Task.FromResult(host.Graph.DirectMessages.Any(m => m.RecipientId == "5550013" && m.AttachmentType is not null)),
            "the bot's file at the Graph");

        var dms = host.Graph.DirectMessages.Where(m => m.RecipientId == "5550013").ToList();
        Assert.Equal(2, dms.Count);
        Assert.StartsWith("Ini daftar harganya kak", dms[0].Text);
        Assert.Equal(("file", 200, "application/pdf", "harga.pdf"), (dms[1].AttachmentType, dms[1].Media!.Status, dms[1].Media!.ContentType, dms[1].Media!.FileName));
        Assert.Equal(pdf, dms[1].Media!.Content);
        await EventuallyAsync(() => host.QueryAsync(db => db.Messages.AnyAsync(m =>
            m.WorkspaceId == account.WorkspaceId && m.Direction == MessageDirection.Outbound && m.Status != MessageStatus.Pending)), "bot reply stored as sent");
        var outbound = await host.QueryAsync(db => db.Messages.SingleAsync(m => m.WorkspaceId == account.WorkspaceId && m.Direction == MessageDirection.Outbound));
        Assert.Equal((MessageOrigin.Bot, MessageStatus.Sent, dms[1].MessageId), (outbound.Origin, outbound.Status, outbound.ExternalMessageId));
        Assert.NotNull(outbound.AttachmentId);
    }

    private async Task<Guid> InboundDmAsync(InstagramAppHost.TestAccount account, string mid, string sender)
    {
        await PostAsync(FakeGraphServer.MessageWebhook(mid, sender, "Halo kak", account.InstagramUserId));
        await EventuallyAsync(() => host.QueryAsync(db => db.Messages.AnyAsync(m => m.ExternalMessageId == mid)), "DM stored");
        return await host.QueryAsync(db => db.Chats.Where(c => c.WorkspaceId == account.WorkspaceId && c.ExternalChatId == sender).Select(c => c.Id).SingleAsync());
    }

    private static string InCulture(string culture, Func<string> text)
    {
        var before = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo(culture);
        try
        {
            return text();
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = before;
        }
    }

    private async Task<InboxViewer> OwnerAsync(InstagramAppHost.TestAccount account) =>
        new(await host.QueryAsync(db => db.Users.Where(u => u.TenantId == account.TenantId && u.Role == UserRole.Owner).Select(u => u.Id).FirstAsync()), UserRole.Owner);

    private async Task PostAsync(JsonObject envelope)
    {
        using var response = await FakeGraphServer.PostWebhookAsync(host.WebhookUrl, envelope);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
