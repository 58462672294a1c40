using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Inbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Gateways;

public sealed class WahaGatewayTests : IAsyncLifetime
{
    private const string Session = "ws_1";
    private FakeWahaServer _waha = null!;
    private ServiceProvider _services = null!;
    private IWhatsAppGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _waha = await FakeWahaServer.StartAsync();
        _services = BuildServices(_waha.BaseAddress);
        _gateway = _services.GetRequiredService<IWhatsAppGateway>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _waha.DisposeAsync();
    }

    [Fact]
    public void Registration_ChoosesTheWahaAdapter_WhenKindIsWaha() =>
        Assert.IsType<WahaGateway>(_gateway);

    [Fact]
    public async Task EnsureSession_CreatesAStartedSession_WithMetadataAndASignedWebhook()
    {
        await _gateway.EnsureSessionAsync(Setup(), CancellationToken.None);

        var request = Assert.Single(_waha.RequestsTo("POST", "/api/sessions"));
        Assert.Equal(FakeWahaServer.DefaultApiKey, request.ApiKey);
        var body = request.Json!;
        Assert.Equal(Session, (string?)body["name"]);
        Assert.True((bool?)body["start"]);
        Assert.Equal("tenant-1", (string?)body["config"]!["metadata"]!["tenantId"]);
        Assert.Equal("workspace-1", (string?)body["config"]!["metadata"]!["workspaceId"]);
        var webhook = Assert.Single(body["config"]!["webhooks"]!.AsArray())!;
        Assert.Equal("https://app.test/webhooks/whatsapp", (string?)webhook["url"]);
        Assert.Equal(["session.status", "message.any", "message.ack"], webhook["events"]!.AsArray().Select(e => (string)e!));
        Assert.Equal("hmac-secret", (string?)webhook["hmac"]!["key"]);
        Assert.Equal("exponential", (string?)webhook["retries"]!["policy"]);
        Assert.Equal(2, (int?)webhook["retries"]!["delaySeconds"]);
        Assert.Equal(5, (int?)webhook["retries"]!["attempts"]);
    }

    [Fact]
    public async Task EnsureSession_UpdatesAndStartsASessionThatAlreadyExists()
    {
        _waha.AddSession(Session, status: "STOPPED");

        await _gateway.EnsureSessionAsync(Setup(), CancellationToken.None);

        Assert.Single(_waha.RequestsTo("POST", "/api/sessions"));
        var update = Assert.Single(_waha.RequestsTo("PUT", $"/api/sessions/{Session}"));
        Assert.Equal("hmac-secret", (string?)update.Json!["config"]!["webhooks"]![0]!["hmac"]!["key"]);
        Assert.Single(_waha.RequestsTo("POST", $"/api/sessions/{Session}/start"));
        Assert.Equal(GatewaySessionStatus.Working, (await _gateway.GetSessionAsync(Session, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task GetSession_MapsStatusAndAccount()
    {
        _waha.AddSession(Session, "WORKING", "628111222333@c.us", "Toko Sinar");

        var info = await _gateway.GetSessionAsync(Session, CancellationToken.None);

        Assert.Equal(new GatewaySessionInfo(Session, GatewaySessionStatus.Working, new GatewayAccount("628111222333@c.us", "Toko Sinar", "628111222333")), info);
    }

    [Fact]
    public async Task GetQrCode_ReturnsThePngAndTheRawValue_WhileWaitingForAScan()
    {
        _waha.AddSession(Session, "SCAN_QR_CODE", meId: null);

        var qr = await _gateway.GetQrCodeAsync(Session, CancellationToken.None);

        Assert.NotNull(qr);
        Assert.Equal(FakeWahaServer.QrValue, qr.RawValue);
        Assert.Equal(FakeWahaServer.QrPng, qr.Png);
        Assert.All(_waha.RequestsTo("GET", $"/api/{Session}/auth/qr"), r => Assert.Contains("application/json", r.Accept));
        Assert.Contains(_waha.RequestsTo("GET", $"/api/{Session}/auth/qr"), r => r.Query == "?format=raw");
    }

    [Fact]
    public async Task GetQrCode_ReturnsNull_OnceTheSessionIsWorking()
    {
        _waha.AddSession(Session, "WORKING");

        Assert.Null(await _gateway.GetQrCodeAsync(Session, CancellationToken.None));
    }

    [Fact]
    public async Task SendText_ReturnsTheGatewayId_AndSendsTheApiKey()
    {
        _waha.AddSession(Session);

        var id = await _gateway.SendTextAsync(new GatewayTextMessage(Session, "+62 812-345-678", "Halo kak", "false_628@c.us_QUOTED"), CancellationToken.None);

        Assert.StartsWith("true_62812345678@c.us_", id);
        var request = Assert.Single(_waha.RequestsTo("POST", "/api/sendText"));
        Assert.Equal(FakeWahaServer.DefaultApiKey, request.ApiKey);
        Assert.Equal("62812345678@c.us", (string?)request.Json!["chatId"]);
        Assert.Equal("Halo kak", (string?)request.Json!["text"]);
        Assert.Equal("false_628@c.us_QUOTED", (string?)request.Json!["reply_to"]);
    }

    [Fact]
    public async Task SendText_IsNeverRetried_OnServerError()
    {
        _waha.AddSession(Session);
        _waha.FailNext(1);

        var error = await Assert.ThrowsAsync<GatewayException>(() =>
            _gateway.SendTextAsync(new GatewayTextMessage(Session, "62812345678", "Halo"), CancellationToken.None));

        Assert.Equal(500, error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Equal("SendText", error.Operation);
        Assert.Single(_waha.RequestsTo("POST", "/api/sendText"));
    }

    [Fact]
    public async Task SendMedia_IsNeverRetried_OnServerError()
    {
        _waha.AddSession(Session);
        _waha.FailNext(1, 503);

        await Assert.ThrowsAsync<GatewayException>(() => _gateway.SendMediaAsync(
            new GatewayMediaMessage(Session, "62812345678", GatewayMediaKind.Image, "image/jpeg", Url: "https://cdn.test/a.jpg"), CancellationToken.None));

        Assert.Single(_waha.RequestsTo("POST", "/api/sendImage"));
    }

    [Fact]
    public async Task SendMedia_PostsTheFileByUrl_OrByData()
    {
        _waha.AddSession(Session);

        await _gateway.SendMediaAsync(new GatewayMediaMessage(Session, "62812345678", GatewayMediaKind.Image, "image/jpeg", "a.jpg", "Promo", Url: "https://cdn.test/a.jpg"), CancellationToken.None);
        var fileId = await _gateway.SendMediaAsync(new GatewayMediaMessage(Session, "62812345678", GatewayMediaKind.File, "application/pdf", "price.pdf", Data: [1, 2, 3]), CancellationToken.None);

        var image = Assert.Single(_waha.RequestsTo("POST", "/api/sendImage")).Json!;
        Assert.Equal("Promo", (string?)image["caption"]);
        Assert.Equal("https://cdn.test/a.jpg", (string?)image["file"]!["url"]);
        Assert.Equal("image/jpeg", (string?)image["file"]!["mimetype"]);
        var file = Assert.Single(_waha.RequestsTo("POST", "/api/sendFile")).Json!;
        Assert.Equal("AQID", (string?)file["file"]!["data"]);
        Assert.Equal("price.pdf", (string?)file["file"]!["filename"]);
        Assert.StartsWith("true_", fileId);
    }

    [Fact]
    public async Task GetSession_IsRetried_OnServerError_ThenSucceeds()
    {
        _waha.AddSession(Session);
        _waha.FailNext(2);

        var info = await _gateway.GetSessionAsync(Session, CancellationToken.None);

        Assert.Equal(GatewaySessionStatus.Working, info.Status);
        Assert.Equal(3, _waha.RequestsTo("GET", $"/api/sessions/{Session}").Count);
    }

    [Fact]
    public async Task StopSession_IsRetried_AsAnIdempotentCall()
    {
        _waha.AddSession(Session);
        _waha.FailNext(1, 502);

        await _gateway.StopSessionAsync(Session, CancellationToken.None);

        Assert.Equal(2, _waha.RequestsTo("POST", $"/api/sessions/{Session}/stop").Count);
    }

    [Fact]
    public async Task GetSession_GivesATransientGatewayException_WhenTheGatewayTimesOut()
    {
        _waha.AddSession(Session);
        _waha.DelayNext(10, TimeSpan.FromSeconds(10));
        await using var services = BuildServices(_waha.BaseAddress, attemptTimeoutSeconds: 0.3, totalTimeoutSeconds: 1.5);
        var gateway = services.GetRequiredService<IWhatsAppGateway>();
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<GatewayException>(() => gateway.GetSessionAsync(Session, CancellationToken.None));

        Assert.True(error.IsTransient);
        Assert.Null(error.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.True(_waha.RequestsTo("GET", $"/api/sessions/{Session}").Count > 1, "a GET that timed out is retried");
    }

    [Fact]
    public async Task Circuit_Opens_AfterRepeatedServerErrors_AndSparesTheGateway()
    {
        _waha.AddSession(Session);
        _waha.FailNext(100);
        for (var i = 0; i < 10; i++)
            await Assert.ThrowsAsync<GatewayException>(() => _gateway.SendTextAsync(new GatewayTextMessage(Session, "62812345678", "Halo"), CancellationToken.None));

        var error = await Assert.ThrowsAsync<GatewayException>(() => _gateway.SendTextAsync(new GatewayTextMessage(Session, "62812345678", "Halo"), CancellationToken.None));

        Assert.True(error.IsTransient);
        Assert.Null(error.StatusCode);
        Assert.Equal(10, _waha.RequestsTo("POST", "/api/sendText").Count);
    }

    [Fact]
    public async Task CheckNumber_GivesAThrottledException_WithRetryAfter_On429()
    {
        _waha.AddSession(Session);
        _waha.ThrottleNext(1, TimeSpan.FromSeconds(7));

        var error = await Assert.ThrowsAsync<GatewayThrottledException>(() => _gateway.CheckNumberAsync(Session, "62812345678", CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
        Assert.Equal(429, error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Single(_waha.RequestsTo("GET", "/api/contacts/check-exists"));
    }

    [Fact]
    public async Task CheckNumber_TellsRegisteredFromNotRegistered()
    {
        _waha.AddSession(Session);

        var registered = await _gateway.CheckNumberAsync(Session, "+62 812 345 678", CancellationToken.None);
        var unregistered = await _gateway.CheckNumberAsync(Session, "62812345670", CancellationToken.None);

        Assert.Equal(new GatewayNumberCheck(NumberRegistration.Registered, "62812345678@c.us"), registered);
        Assert.Equal(new GatewayNumberCheck(NumberRegistration.NotRegistered, null), unregistered);
        Assert.Contains(_waha.RequestsTo("GET", "/api/contacts/check-exists"), r => r.Query == $"?phone=62812345678&session={Session}");
    }

    [Fact]
    public async Task ClientErrors_AreNotTransient_AndNotRetried()
    {
        var error = await Assert.ThrowsAsync<GatewayException>(() => _gateway.GetSessionAsync("missing", CancellationToken.None));

        Assert.Equal(404, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.Single(_waha.RequestsTo("GET", "/api/sessions/missing"));
    }

    [Fact]
    public async Task GetChatMessages_ReadsTheHistory_NewestFirst_WithTheFromMeFilter()
    {
        _waha.AddSession(Session);
        await _gateway.SendTextAsync(new GatewayTextMessage(Session, "62812345678", "first"), CancellationToken.None);
        _waha.AddHistory(Session, "62812345678@c.us", FakeWahaServer.MessagePayload("false_in_1", "62812345678@c.us", "6280000000001@c.us", "a reply", ack: 3, pushName: "Budi"));
        var lastId = await _gateway.SendTextAsync(new GatewayTextMessage(Session, "62812345678", "second"), CancellationToken.None);

        var mine = await _gateway.GetChatMessagesAsync(Session, "62812345678@c.us", 10, fromMe: true, CancellationToken.None);
        var all = await _gateway.GetChatMessagesAsync(Session, "62812345678@c.us", 10, fromMe: null, CancellationToken.None);

        Assert.Equal(["second", "first"], mine.Select(m => m.Body));
        Assert.Equal(lastId, mine[0].Id);
        Assert.All(mine, m => Assert.Equal(MessageStatus.Sent, m.Status));
        Assert.Equal(3, all.Count);
        Assert.Equal("Budi", all.Single(m => !m.FromMe).PushName);
        Assert.Contains(_waha.Requests, r => r.Path == $"/api/{Session}/chats/62812345678@c.us/messages" && r.Query.Contains("filter.fromMe=true") && r.Query.Contains("limit=10"));
    }

    [Fact]
    public async Task GetPhoneForLid_ReturnsThePhone_OrNullWhenUnknown()
    {
        _waha.AddSession(Session);
        _waha.AddLid("123456789@lid", "62812345678@c.us");

        Assert.Equal("62812345678", await _gateway.GetPhoneForLidAsync(Session, "123456789@lid", CancellationToken.None));
        Assert.Null(await _gateway.GetPhoneForLidAsync(Session, "999@lid", CancellationToken.None));
    }

    [Fact]
    public async Task DownloadMedia_ReturnsTheBytes_WithTheApiKeyForTheGatewayHost()
    {
        var url = _waha.AddFile("photo.jpg", [1, 2, 3, 4], "image/jpeg");

        var media = await _gateway.DownloadMediaAsync(url, maxBytes: 4, CancellationToken.None);

        Assert.Equal([1, 2, 3, 4], media.Content);
        Assert.Equal("image/jpeg", media.MimeType);
        Assert.Equal(FakeWahaServer.DefaultApiKey, Assert.Single(_waha.RequestsTo("GET", "/api/files/photo.jpg")).ApiKey);
    }

    [Fact]
    public async Task DownloadMedia_Throws_PastTheMaximumSize()
    {
        var url = _waha.AddFile("big.bin", new byte[10_000], "application/octet-stream");

        var error = await Assert.ThrowsAsync<GatewayMediaTooLargeException>(() => _gateway.DownloadMediaAsync(url, maxBytes: 9_999, CancellationToken.None));

        Assert.Equal(9_999, error.MaxBytes);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task SessionLifecycleCalls_HitTheDocumentedEndpoints()
    {
        _waha.AddSession(Session);

        await _gateway.RestartSessionAsync(Session, CancellationToken.None);
        await _gateway.LogoutSessionAsync(Session, CancellationToken.None);
        await _gateway.MarkChatReadAsync(Session, "62812345678", CancellationToken.None);
        await _gateway.DeleteSessionAsync(Session, CancellationToken.None);
        await _gateway.DeleteSessionAsync(Session, CancellationToken.None);

        Assert.Single(_waha.RequestsTo("POST", $"/api/sessions/{Session}/restart"));
        Assert.Single(_waha.RequestsTo("POST", $"/api/sessions/{Session}/logout"));
        Assert.Single(_waha.RequestsTo("POST", $"/api/{Session}/chats/62812345678@c.us/messages/read"));
        Assert.Equal(2, _waha.RequestsTo("DELETE", $"/api/sessions/{Session}").Count);
    }

    private static GatewaySessionSetup Setup() => new(
        Session,
        new Dictionary<string, string> { ["tenantId"] = "tenant-1", ["workspaceId"] = "workspace-1" },
        "https://app.test/webhooks/whatsapp",
        "hmac-secret");

    private static ServiceProvider BuildServices(Uri baseAddress, double attemptTimeoutSeconds = 5, double totalTimeoutSeconds = 10)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Kind"] = "Waha",
            ["Gateway:Waha:BaseUrl"] = baseAddress.ToString(),
            ["Gateway:Waha:ApiKey"] = FakeWahaServer.DefaultApiKey,
            ["Gateway:Waha:TimeoutSeconds"] = totalTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            ["Gateway:Waha:AttemptTimeoutSeconds"] = attemptTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            ["Gateway:Waha:RetryDelaySeconds"] = "0.01",
        }).Build();
        return new ServiceCollection().AddGateways(config).BuildServiceProvider();
    }
}
