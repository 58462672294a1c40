using System.Net;
using System.Text.Json.Nodes;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static KelolaPesan.Tests.Webhooks.AppWorkspaces;

namespace KelolaPesan.Tests.Webhooks;

/// <summary>The webhook through the real app host: signature first, store once, process after the answer.</summary>
public sealed class WhatsAppWebhookTests(KelolaAppFactory app) : IClassFixture<KelolaAppFactory>
{
    private const string Customer = "6281234567891@c.us";
    private const string Me = "6280000000001@c.us";

    [Fact]
    public async Task BadOrMissingSignature_Answers401_AndStoresNothing()
    {
        var ws = await CreateAsync(app);
        var body = FakeWahaServer.Envelope("message.any", ws.Session, FakeWahaServer.MessagePayload("m-bad-1", Customer, Me, "halo"));

        using var wrongKey = await FakeWahaServer.SendWebhookAsync(ws.WebhookUrl, "not-the-key", body);
        using var missing = await FakeWahaServer.SendWebhookAsync(ws.WebhookUrl, null, body);
        var tampered = (byte[])body.Clone();
        tampered[^3] ^= 1;
        using var tamperedBody = await PostWithSignatureOfAsync(ws.WebhookUrl, tampered, FakeWahaServer.Sign(body, ws.HmacKey));
        using var unknownWorkspace = await FakeWahaServer.SendWebhookAsync(new Uri($"{app.BaseUrl}/webhooks/whatsapp?workspace={Guid.NewGuid()}"), ws.HmacKey, body);
        using var noWorkspace = await FakeWahaServer.SendWebhookAsync(new Uri($"{app.BaseUrl}/webhooks/whatsapp"), ws.HmacKey, body);

        Assert.All([wrongKey, missing, tamperedBody, unknownWorkspace, noWorkspace], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));

        // The same body with the right key is accepted: the rejections above were about the signature only.
        using var good = await FakeWahaServer.SendWebhookAsync(ws.WebhookUrl, ws.HmacKey, body);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);

        // Once the good delivery is processed (the positive marker), exactly its one row and one message exist:
        // none of the refused deliveries left anything behind, early or late.
        await EventuallyAsync(() => QueryAsync(app, db => db.Messages.AnyAsync(m => m.WorkspaceId == ws.WorkspaceId)), "the signed delivery processed");
        Assert.Equal(1, await QueryAsync(app, db => db.InboundWebhookEvents.CountAsync(e => e.WorkspaceId == ws.WorkspaceId)));
        Assert.Equal(1, await QueryAsync(app, db => db.Messages.CountAsync(m => m.WorkspaceId == ws.WorkspaceId)));
    }

    [Fact]
    public async Task ASignedEventOlderThanTheReplayWindow_IsRefused_AndStoresNothing()
    {
        var ws = await CreateAsync(app);
        // A delivery captured 11 minutes ago, replayed with its original (valid) signature.
        var old = Stamped(FakeWahaServer.Envelope("message.any", ws.Session, FakeWahaServer.MessagePayload("m-replay-1", Customer, Me, "transfer ke rekening baru")),
            DateTimeOffset.UtcNow.AddMinutes(-11));
        using var replayed = await FakeWahaServer.SendWebhookAsync(ws.WebhookUrl, ws.HmacKey, old);
        // A build without an envelope timestamp is dated by its header, checked once the HMAC passed.
        var undated = FakeWahaServer.Envelope("message.any", ws.Session, FakeWahaServer.MessagePayload("m-replay-2", Customer, Me, "lagi"), withIdAndTimestamp: false);
        using var oldHeader = await PostSignedAsync(ws, undated, DateTimeOffset.UtcNow.AddMinutes(-11));
        // Far in the future is outside the window too.
        var future = Stamped(FakeWahaServer.Envelope("message.any", ws.Session, FakeWahaServer.MessagePayload("m-replay-3", Customer, Me, "nanti")),
            DateTimeOffset.UtcNow.AddMinutes(11));
        using var ahead = await FakeWahaServer.SendWebhookAsync(ws.WebhookUrl, ws.HmacKey, future);
        Assert.All([replayed, oldHeader, ahead], r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));

        // Within the window it is taken; and the signed envelope time wins over a header that says otherwise.
        var fresh = Stamped(FakeWahaServer.Envelope("message.any", ws.Session, FakeWahaServer.MessagePayload("m-replay-4", Customer, Me, "halo")),
            DateTimeOffset.UtcNow.AddMinutes(-2));
        using var taken = await PostSignedAsync(ws, fresh, DateTimeOffset.UtcNow.AddHours(-5));
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);

        await EventuallyAsync(() => QueryAsync(app, db => db.Messages.AnyAsync(m => m.WorkspaceId == ws.WorkspaceId)), "the fresh delivery processed");
        Assert.Equal(["m-replay-4"], await QueryAsync(app, db => db.Messages.Where(m => m.WorkspaceId == ws.WorkspaceId).Select(m => m.ExternalMessageId!).ToListAsync()));
        Assert.Equal(1, await QueryAsync(app, db => db.InboundWebhookEvents.CountAsync(e => e.WorkspaceId == ws.WorkspaceId)));
    }

    private static byte[] Stamped(byte[] envelope, DateTimeOffset at)
    {
        var json = JsonNode.Parse(envelope)!.AsObject();
        json["timestamp"] = at.ToUnixTimeMilliseconds();
        return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    private static async Task<HttpResponseMessage> PostSignedAsync(TestWorkspace ws, byte[] body, DateTimeOffset headerTime)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ws.WebhookUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Webhook-Timestamp", headerTime.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-Webhook-Hmac", FakeWahaServer.Sign(body, ws.HmacKey));
        request.Headers.Add("X-Webhook-Hmac-Algorithm", "sha512");
        using var client = new HttpClient();
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task TheSameEventThreeTimes_StoresOneMessage_AndCountsItOnce()
    {
        var ws = await CreateAsync(app);
        var body = FakeWahaServer.Envelope("message.any", ws.Session, FakeWahaServer.MessagePayload("m-dup-1", Customer, Me, "Bisa COD?", pushName: "Andi"));
        for (var i = 0; i < 3; i++)
        {
            using var response = await FakeWahaServer.SendWebhookAsync(ws.WebhookUrl, ws.HmacKey, body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        // The same message again under another event id (e.g. "message" and "message.any" both configured).
        var again = FakeWahaServer.Envelope("message", ws.Session, FakeWahaServer.MessagePayload("m-dup-1", Customer, Me, "Bisa COD?", pushName: "Andi"));
        using (var response = await FakeWahaServer.SendWebhookAsync(ws.WebhookUrl, ws.HmacKey, again))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await EventuallyAsync(() => QueryAsync(app, db => db.InboundWebhookEvents.Where(e => e.WorkspaceId == ws.WorkspaceId).AllAsync(e => e.ProcessedAt != null)), "events processed");
        Assert.Equal(2, await QueryAsync(app, db => db.InboundWebhookEvents.CountAsync(e => e.WorkspaceId == ws.WorkspaceId)));
        var messages = await QueryAsync(app, db => db.Messages.Where(m => m.WorkspaceId == ws.WorkspaceId).ToListAsync());
        var message = Assert.Single(messages);
        Assert.Equal("Bisa COD?", message.Body);
        Assert.Equal(MessageDirection.Inbound, message.Direction);
        var chat = await QueryAsync(app, db => db.Chats.SingleAsync(c => c.WorkspaceId == ws.WorkspaceId));
        Assert.Equal(("Andi", "+6281234567891", Customer, 1, "Bisa COD?"), (chat.DisplayName, chat.PhoneNumber, chat.ExternalChatId, chat.UnreadCount, chat.LastMessagePreview));
        var workspace = await QueryAsync(app, db => db.Workspaces.SingleAsync(w => w.Id == ws.WorkspaceId));
        Assert.Equal((1, 1), (workspace.UnreadMessages, workspace.UnreadChats));
    }

    [Fact]
    public async Task AcksOutOfOrder_LeaveTheHighestStatus()
    {
        var ws = await CreateAsync(app);
        const string id = "true_6281234567891@c.us_3EB0ACK";
        // Sent from the phone: stored as outbound with origin Phone, status Sent.
        await SendAsync(ws, FakeWahaServer.Envelope("message.any", ws.Session, FakeWahaServer.MessagePayload(id, Me, Customer, "Sudah dikirim kak", fromMe: true, ack: 1)));
        await EventuallyAsync(() => QueryAsync(app, db => db.Messages.AnyAsync(m => m.ExternalMessageId == id)), "outbound message stored");

        foreach (var ack in new[] { 3, 2, 1, 0, 2 })
            await SendAsync(ws, FakeWahaServer.Envelope("message.ack", ws.Session, Ack(id, ack)));

        await EventuallyAsync(() => QueryAsync(app, db => db.InboundWebhookEvents.Where(e => e.WorkspaceId == ws.WorkspaceId).AllAsync(e => e.ProcessedAt != null)), "acks processed");
        var message = await QueryAsync(app, db => db.Messages.SingleAsync(m => m.ExternalMessageId == id));
        Assert.Equal((MessageStatus.Read, MessageDirection.Outbound, MessageOrigin.Phone), (message.Status, message.Direction, message.Origin));
        // Nothing outbound counts as unread.
        Assert.Equal(0, (await QueryAsync(app, db => db.Chats.SingleAsync(c => c.WorkspaceId == ws.WorkspaceId))).UnreadCount);
    }

    // A Read ack can overtake its message (our own send whose call has not answered yet): it is tried again within
    // seconds, not left to the sweep 30 s later, so the tick does not lag behind the customer's phone.
    [Fact]
    public async Task AnAckThatOvertookItsMessage_IsAppliedWithinSeconds()
    {
        var ws = await CreateAsync(app);
        var id = "true_6281234567891@c.us_3EB0" + Guid.NewGuid().ToString("N")[..8];
        await SendAsync(ws, FakeWahaServer.Envelope("message.ack", ws.Session, Ack(id, 3)));
        await EventuallyAsync(() => QueryAsync(app, db => db.InboundWebhookEvents.AnyAsync(e => e.WorkspaceId == ws.WorkspaceId && e.Attempts == 1 && e.ProcessedAt == null)),
            "the ack tried once, its message unknown");

        await SendAsync(ws, FakeWahaServer.Envelope("message.any", ws.Session, FakeWahaServer.MessagePayload(id, Me, Customer, "Sudah dikirim kak", fromMe: true, ack: 1)));

        // The sweep only takes events older than 30 s: well within that, the second try found the message.
        await EventuallyAsync(() => QueryAsync(app, db => db.Messages.AnyAsync(m => m.ExternalMessageId == id && m.Status == MessageStatus.Read)),
            "the message Read", seconds: 10);
    }

    [Fact]
    public async Task SessionStatusWorking_ConnectsTheWorkspace_AndTellsSubscribers()
    {
        var ws = await CreateAsync(app);
        var bus = app.Services.GetRequiredService<IRealtimeBus>();
        var seen = new TaskCompletionSource<WorkspaceStatusChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = bus.Subscribe(Topics.Tenant(ws.TenantId), evt =>
        {
            if (evt is WorkspaceStatusChanged changed && changed.WorkspaceId == ws.WorkspaceId)
                seen.TrySetResult(changed);
            return Task.CompletedTask;
        });

        await SendAsync(ws, FakeWahaServer.Envelope("session.status", ws.Session, new JsonObject { ["status"] = "WORKING" }));

        var evt = await seen.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(ConnectionStatus.Connected, evt.Status);
        var workspace = await QueryAsync(app, db => db.Workspaces.SingleAsync(w => w.Id == ws.WorkspaceId));
        Assert.Equal(ConnectionStatus.Connected, workspace.ConnectionStatus);
        Assert.Equal("+6280000000001", workspace.PhoneNumber);
        Assert.NotNull(workspace.ConnectedAt);
        Assert.Contains("Toko Test", workspace.SessionMetadata);
    }

    [Fact]
    public async Task ASessionDrop_IsRecordedOnTheWorkspace()
    {
        var ws = await CreateAsync(app);
        await SendAsync(ws, FakeWahaServer.Envelope("session.status", ws.Session, new JsonObject { ["status"] = "WORKING" }));
        await SendAsync(ws, FakeWahaServer.Envelope("session.status", ws.Session, new JsonObject { ["status"] = "FAILED" }));
        await EventuallyAsync(() => QueryAsync(app, db => db.WorkspaceEvents.AnyAsync(e => e.WorkspaceId == ws.WorkspaceId && e.Kind == WorkspaceEventKind.Dropped)), "drop recorded");
        Assert.Equal(ConnectionStatus.Failed, (await QueryAsync(app, db => db.Workspaces.SingleAsync(w => w.Id == ws.WorkspaceId))).ConnectionStatus);
    }

    private static JsonObject Ack(string id, int ack) => new()
    {
        ["id"] = id, ["from"] = Customer, ["fromMe"] = true, ["ack"] = ack,
    };

    private static async Task SendAsync(TestWorkspace ws, byte[] body)
    {
        using var response = await FakeWahaServer.SendWebhookAsync(ws.WebhookUrl, ws.HmacKey, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> PostWithSignatureOfAsync(Uri url, byte[] body, string signature)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Headers.Add("X-Webhook-Hmac", signature);
        request.Headers.Add("X-Webhook-Hmac-Algorithm", "sha512");
        return await client.SendAsync(request);
    }
}
