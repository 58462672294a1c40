using System.Text;
using System.Text.Json.Nodes;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Inbox;

namespace KelolaPesan.Tests.Gateways;

public sealed class WahaWebhookParserTests
{
    private static readonly Dictionary<string, string> Metadata = new() { ["tenantId"] = "t-1", ["workspaceId"] = "w-1" };

    [Fact]
    public void SessionStatus_BecomesSessionStatusChanged_WithTheRoutingMetadata()
    {
        var body = FakeWahaServer.Envelope("session.status", "ws_1", new JsonObject { ["status"] = "SCAN_QR_CODE", ["statuses"] = new JsonArray() }, Metadata);

        var evt = Assert.IsType<SessionStatusChanged>(WahaWebhookParser.Parse(body));

        Assert.Equal("ws_1", evt.Session);
        Assert.Equal(GatewaySessionStatus.ScanQr, evt.Status);
        Assert.Equal("t-1", evt.Metadata["tenantId"]);
        Assert.Equal("w-1", evt.Metadata["workspaceId"]);
        Assert.StartsWith("evt_", evt.EventId);
        Assert.Equal("6280000000001@c.us", evt.Me?.Id);
    }

    [Fact]
    public void ANulInAMessage_IsDropped_SoTheMessageCanBeStoredOnEveryDatabase()
    {
        // PostgreSQL refused the message (it was lost without a trace); SQLite cut its text at the NUL.
        var payload = FakeWahaServer.MessagePayload("false_628111@c.us_NUL", "628111@c.us", "6280000000001@c.us", "racun \0 di sini", ack: 1, pushName: "Bu\0di", timestamp: 1_700_000_000);

        var m = Assert.IsType<MessageReceived>(WahaWebhookParser.Parse(FakeWahaServer.Envelope("message", "ws_1", payload, Metadata))).Message;

        Assert.Equal(("racun  di sini", "Budi"), (m.Body, m.PushName));
    }

    [Fact]
    public void APushName_LosesControlAndBidiCharacters_AndTheBody_KeepsItsLinesButNotItsOtherControls()
    {
        // U+202E made "Budi" read "iduB" beside the chat's other text; ESC and U+0001 have no glyph at all.
        var payload = FakeWahaServer.MessagePayload("false_628111@c.us_CTL", "628111@c.us", "6280000000001@c.us", "baris 1\r\n\tbaris\u0001 2\u001b",
            ack: 1, pushName: "\u202EBudi\u202C\u001b[31m\nSantoso\u0085", timestamp: 1_700_000_000);
        var onlyControls = FakeWahaServer.MessagePayload("false_628111@c.us_CT2", "628111@c.us", "6280000000001@c.us", "x", ack: 1, pushName: "\u2067\u0007", timestamp: 1_700_000_000);

        var m = Assert.IsType<MessageReceived>(WahaWebhookParser.Parse(FakeWahaServer.Envelope("message", "ws_1", payload, Metadata))).Message;
        var empty = Assert.IsType<MessageReceived>(WahaWebhookParser.Parse(FakeWahaServer.Envelope("message", "ws_1", onlyControls, Metadata))).Message;

        Assert.Equal(("baris 1\r\n\tbaris 2", "Budi[31m Santoso"), (m.Body, m.PushName));
        Assert.Null(empty.PushName);
    }

    [Fact]
    public void MessageAny_BecomesMessageReceived_WithEveryField()
    {
        var payload = FakeWahaServer.MessagePayload("false_628111@c.us_AAA", "628111@c.us", "6280000000001@c.us", "Halo, ready?", ack: 1, pushName: "Budi", timestamp: 1_700_000_000);
        payload["hasMedia"] = true;
        payload["media"] = new JsonObject { ["url"] = "http://waha/api/files/a.jpg", ["mimetype"] = "image/jpeg", ["filename"] = "a.jpg" };
        payload["replyTo"] = new JsonObject { ["id"] = "true_628111@c.us_BBB", ["body"] = "quoted" };

        var evt = Assert.IsType<MessageReceived>(WahaWebhookParser.Parse(FakeWahaServer.Envelope("message.any", "ws_1", payload, Metadata)));

        var m = evt.Message;
        Assert.Equal("false_628111@c.us_AAA", m.Id);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), m.Timestamp);
        Assert.Equal("628111@c.us", m.From);
        Assert.Equal("6280000000001@c.us", m.To);
        Assert.False(m.FromMe);
        Assert.Equal("Halo, ready?", m.Body);
        Assert.True(m.HasMedia);
        Assert.Equal(new GatewayMedia("http://waha/api/files/a.jpg", "image/jpeg", "a.jpg"), m.Media);
        Assert.Equal(MessageStatus.Sent, m.Status);
        Assert.Equal("true_628111@c.us_BBB", m.ReplyTo);
        Assert.Equal("Budi", m.PushName);
        Assert.Equal("w-1", evt.Metadata["workspaceId"]);
    }

    [Fact]
    public void Message_WithoutEnvelopeIdOrTimestamps_IsTolerated()
    {
        var payload = FakeWahaServer.MessagePayload("false_1@c.us_X", "1@c.us", "2@c.us", "hi");
        payload.Remove("timestamp");
        payload.Remove("_data");

        var evt = Assert.IsType<MessageReceived>(WahaWebhookParser.Parse(FakeWahaServer.Envelope("message", "ws_1", payload, withIdAndTimestamp: false)));

        Assert.Null(evt.EventId);
        Assert.Null(evt.Message.Timestamp);
        Assert.Null(evt.Message.PushName);
        Assert.Equal("hi", evt.Message.Body);
        Assert.Empty(evt.Metadata);
    }

    [Fact]
    public void Message_FromALid_KeepsTheLid_AndThePushNameOnThePayload()
    {
        var payload = FakeWahaServer.MessagePayload("false_207@lid_Y", "207896541234567@lid", "6280000000001@c.us", "halo");
        payload.Remove("_data");
        payload["pushName"] = "Sari";

        var evt = Assert.IsType<MessageReceived>(WahaWebhookParser.Parse(FakeWahaServer.Envelope("message.any", "ws_1", payload)));

        Assert.Equal("207896541234567@lid", evt.Message.From);
        Assert.True(ChatIds.IsLid(evt.Message.From));
        Assert.Null(ChatIds.ToPhone(evt.Message.From));
        Assert.Equal("Sari", evt.Message.PushName);
    }

    [Theory]
    [InlineData(-1, MessageStatus.Failed)]
    [InlineData(2, MessageStatus.Delivered)]
    [InlineData(3, MessageStatus.Read)]
    [InlineData(4, MessageStatus.Read)]
    public void MessageAck_BecomesMessageAcked(int ack, MessageStatus expected)
    {
        var payload = new JsonObject { ["id"] = "true_628111@c.us_AAA", ["from"] = "628111@c.us", ["fromMe"] = true, ["ack"] = ack, ["ackName"] = "X" };

        var evt = Assert.IsType<MessageAcked>(WahaWebhookParser.Parse(FakeWahaServer.Envelope("message.ack", "ws_1", payload, Metadata)));

        Assert.Equal("true_628111@c.us_AAA", evt.MessageId);
        Assert.Equal("628111@c.us", evt.ChatId);
        Assert.True(evt.FromMe);
        Assert.Equal(expected, evt.Status);
    }

    [Fact]
    public void MessageIds_SentAsObjects_AreRead()
    {
        var payload = new JsonObject { ["id"] = new JsonObject { ["fromMe"] = true, ["_serialized"] = "true_1@c.us_Z" }, ["fromMe"] = true, ["ack"] = 2 };

        var evt = Assert.IsType<MessageAcked>(WahaWebhookParser.Parse(FakeWahaServer.Envelope("message.ack", "ws_1", payload)));

        Assert.Equal("true_1@c.us_Z", evt.MessageId);
    }

    [Fact]
    public void UnhandledEvents_GiveNull() =>
        Assert.Null(WahaWebhookParser.Parse(FakeWahaServer.Envelope("presence.update", "ws_1", new JsonObject())));

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"event":"message.any","payload":{"id":"x"}}""")]
    [InlineData("""{"event":"message.any","session":"ws_1"}""")]
    [InlineData("""{"event":"message.ack","session":"ws_1","payload":{"id":"x"}}""")]
    [InlineData("""{"event":"session.status","session":"ws_1","payload":{"status":"DANCING"}}""")]
    public void MalformedBodies_AreRejected(string body) =>
        Assert.Throws<WebhookPayloadException>(() => WahaWebhookParser.Parse(Encoding.UTF8.GetBytes(body)));
}
