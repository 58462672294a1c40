using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Inbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KelolaPesan.Tests.Gateways;

public sealed class SimulatorGatewayTests : IAsyncDisposable
{
    private const string Session = "ws_sim";
    private const string Customer = "628111222333";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 6, 9, 0, 0, TimeSpan.Zero));
    private readonly RecordingEventSink _sink = new();
    private readonly ServiceProvider _services;
    private readonly SimulatorGateway _simulator;

    public SimulatorGatewayTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<IGatewayEventSink>(_sink);
        services.AddGateways(new ConfigurationBuilder().Build());
        _services = services.BuildServiceProvider();
        _simulator = _services.GetRequiredService<SimulatorGateway>();
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    [Fact]
    public void Registration_UsesTheSimulatorByDefault_AsOneSingleton() =>
        Assert.Same(_simulator, _services.GetRequiredService<IWhatsAppGateway>());

    [Fact]
    public async Task NewSession_WaitsForAScan_WithARealQrCode()
    {
        await _simulator.EnsureSessionAsync(Setup(), CancellationToken.None);

        var status = Assert.Single(_sink.Of<SessionStatusChanged>());
        Assert.Equal(GatewaySessionStatus.ScanQr, status.Status);
        Assert.Equal("w-1", status.Metadata["workspaceId"]);
        var qr = await _simulator.GetQrCodeAsync(Session, CancellationToken.None);
        Assert.NotNull(qr);
        Assert.StartsWith($"kelola-sim:{Session}:", qr.RawValue);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], qr.Png.Take(4));
    }

    [Fact]
    public async Task Qr_Rotates_WhileUnscanned_AndSaysSo()
    {
        await _simulator.EnsureSessionAsync(Setup(), CancellationToken.None);
        var first = (await _simulator.GetQrCodeAsync(Session, CancellationToken.None))!.RawValue;

        _time.Advance(SimulatorGateway.QrRotation);

        var second = (await _simulator.GetQrCodeAsync(Session, CancellationToken.None))!.RawValue;
        Assert.NotEqual(first, second);
        await _sink.WaitForAsync<SessionStatusChanged>(e => e.Status == GatewaySessionStatus.ScanQr && e != _sink.Events[0]);
    }

    [Fact]
    public async Task Scan_MakesTheSessionWorking_AndRaisesIt()
    {
        await _simulator.EnsureSessionAsync(Setup(), CancellationToken.None);

        await _simulator.ScanAsync(Session, "6280000000001", "Toko Sim");

        var working = Assert.Single(_sink.Of<SessionStatusChanged>(), e => e.Status == GatewaySessionStatus.Working);
        Assert.Equal(new GatewayAccount("6280000000001@c.us", "Toko Sim", "6280000000001"), working.Me);
        Assert.Null(await _simulator.GetQrCodeAsync(Session, CancellationToken.None));
        Assert.Equal(GatewaySessionStatus.Working, (await _simulator.GetSessionAsync(Session, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Send_IsAckedDelivered_ThenRead_AsTimePasses()
    {
        await WorkingSessionAsync();

        var id = await _simulator.SendTextAsync(new GatewayTextMessage(Session, Customer, "Halo kak"), CancellationToken.None);

        Assert.StartsWith("sim_", id);
        _time.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Empty(_sink.Of<MessageAcked>());
        var echo = await _sink.WaitForAsync<MessageReceived>(e => e.Message.Id == id);
        Assert.True(echo.Message.FromMe);

        _time.Advance(TimeSpan.FromMilliseconds(1600));
        await _sink.WaitForAsync<MessageAcked>(e => e.MessageId == id && e.Status == MessageStatus.Delivered);

        _time.Advance(TimeSpan.FromSeconds(2));
        await _sink.WaitForAsync<MessageAcked>(e => e.MessageId == id && e.Status == MessageStatus.Read);
        Assert.Equal([MessageStatus.Delivered, MessageStatus.Read], _sink.Of<MessageAcked>().Select(a => a.Status));
        Assert.All(_sink.Of<MessageAcked>(), a => Assert.Equal($"{Customer}@c.us", a.ChatId));
    }

    [Fact]
    public async Task Send_WithoutAcknowledgements_IsKept_ButNeitherEchoedNorAcked()
    {
        await WorkingSessionAsync();
        _simulator.AcknowledgesSends = false;
        var quiet = await _simulator.SendTextAsync(new GatewayTextMessage(Session, Customer, "Halo kak"), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));

        // A send after it is heard again: its last ack marks the moment the quiet one's would have come long before.
        _simulator.AcknowledgesSends = true;
        var heard = await _simulator.SendTextAsync(new GatewayTextMessage(Session, Customer, "Halo lagi"), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));
        await _sink.WaitForAsync<MessageAcked>(e => e.MessageId == heard && e.Status == MessageStatus.Read);

        Assert.DoesNotContain(_sink.Of<MessageReceived>(), e => e.Message.Id == quiet);
        Assert.DoesNotContain(_sink.Of<MessageAcked>(), e => e.MessageId == quiet);
        Assert.Contains(await _simulator.GetChatMessagesAsync(Session, Customer, 10, fromMe: true, CancellationToken.None), m => m.Id == quiet);
    }

    [Fact]
    public async Task Send_ToANumberNotOnWhatsApp_IsAckedFailed()
    {
        await WorkingSessionAsync();

        var id = await _simulator.SendTextAsync(new GatewayTextMessage(Session, "628111222330", "Halo"), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));

        var ack = await _sink.WaitForAsync<MessageAcked>(e => e.MessageId == id);
        Assert.Equal(MessageStatus.Failed, ack.Status);
        Assert.Single(_sink.Of<MessageAcked>());
    }

    [Fact]
    public async Task Send_Fails_WhenTheSessionIsNotWorking()
    {
        await _simulator.EnsureSessionAsync(Setup(), CancellationToken.None);

        var error = await Assert.ThrowsAsync<GatewayException>(() => _simulator.SendTextAsync(new GatewayTextMessage(Session, Customer, "Halo"), CancellationToken.None));

        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Inbound_RaisesMessageReceived_ThroughTheSink()
    {
        await WorkingSessionAsync();

        var id = await _simulator.SimulateInboundAsync(Session, "+62 811-1222-333", "Budi", "Masih ada stok?");

        var received = Assert.Single(_sink.Of<MessageReceived>());
        Assert.Equal(id, received.Message.Id);
        Assert.Equal($"{Customer}@c.us", received.Message.From);
        Assert.Equal("6280000000001@c.us", received.Message.To);
        Assert.False(received.Message.FromMe);
        Assert.Equal("Masih ada stok?", received.Message.Body);
        Assert.Equal("Budi", received.Message.PushName);
        Assert.Equal(_time.GetUtcNow(), received.Message.Timestamp);
        Assert.Equal("t-1", received.Metadata["tenantId"]);
        Assert.NotNull(received.EventId);
    }

    [Fact]
    public async Task Inbound_FromALid_CanBeResolvedToThePhone()
    {
        await WorkingSessionAsync();

        await _simulator.SimulateInboundAsync(Session, Customer, "Budi", "halo", viaLid: true);

        var from = Assert.Single(_sink.Of<MessageReceived>()).Message.From;
        Assert.True(ChatIds.IsLid(from));
        Assert.Equal(Customer, await _simulator.GetPhoneForLidAsync(Session, from, CancellationToken.None));
    }

    [Fact]
    public async Task InboundMedia_CanBeDownloaded_WithinTheLimit()
    {
        await WorkingSessionAsync();

        await _simulator.SimulateInboundMediaAsync(Session, Customer, "Budi", "bukti transfer", [1, 2, 3], "image/jpeg", "bukti.jpg");

        var url = Assert.Single(_sink.Of<MessageReceived>()).Message.Media!.Url!;
        Assert.Equal([1, 2, 3], (await _simulator.DownloadMediaAsync(url, 3, CancellationToken.None)).Content);
        await Assert.ThrowsAsync<GatewayMediaTooLargeException>(() => _simulator.DownloadMediaAsync(url, 2, CancellationToken.None));
    }

    [Fact]
    public async Task ChatMessages_AreKept_ForReconciliation_NewestFirst()
    {
        await WorkingSessionAsync();
        var first = await _simulator.SendTextAsync(new GatewayTextMessage(Session, Customer, "one"), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        await _simulator.SimulateInboundAsync(Session, Customer, "Budi", "reply");
        _time.Advance(TimeSpan.FromSeconds(1));
        var second = await _simulator.SendTextAsync(new GatewayTextMessage(Session, Customer, "two"), CancellationToken.None);
        await _simulator.SendTextAsync(new GatewayTextMessage(Session, "628999888777", "other chat"), CancellationToken.None);

        var mine = await _simulator.GetChatMessagesAsync(Session, Customer, 10, fromMe: true, CancellationToken.None);
        var all = await _simulator.GetChatMessagesAsync(Session, $"{Customer}@c.us", 10, fromMe: null, CancellationToken.None);
        var latest = await _simulator.GetChatMessagesAsync(Session, Customer, 1, fromMe: null, CancellationToken.None);

        Assert.Equal([second, first], mine.Select(m => m.Id));
        Assert.Equal(["two", "reply", "one"], all.Select(m => m.Body));
        Assert.Equal(second, Assert.Single(latest).Id);
    }

    [Theory]
    [InlineData("628111222333", NumberRegistration.Registered)]
    [InlineData("628111222330", NumberRegistration.NotRegistered)]
    public async Task CheckNumber_IsDeterministic_ByLastDigit(string phone, NumberRegistration expected)
    {
        await WorkingSessionAsync();

        var check = await _simulator.CheckNumberAsync(Session, phone, CancellationToken.None);

        Assert.Equal(expected, check.Registration);
        Assert.Equal(expected == NumberRegistration.Registered ? $"{phone}@c.us" : null, check.ChatId);
    }

    [Fact]
    public async Task Stop_KeepsTheLogin_AndLogout_AsksForANewScan()
    {
        await WorkingSessionAsync();

        await _simulator.StopSessionAsync(Session, CancellationToken.None);
        await _simulator.StartSessionAsync(Session, CancellationToken.None);
        Assert.Equal(GatewaySessionStatus.Working, (await _simulator.GetSessionAsync(Session, CancellationToken.None)).Status);

        await _simulator.LogoutSessionAsync(Session, CancellationToken.None);
        var info = await _simulator.GetSessionAsync(Session, CancellationToken.None);
        Assert.Equal(GatewaySessionStatus.ScanQr, info.Status);
        Assert.Null(info.Me);

        await _simulator.DeleteSessionAsync(Session, CancellationToken.None);
        var error = await Assert.ThrowsAsync<GatewayException>(() => _simulator.GetSessionAsync(Session, CancellationToken.None));
        Assert.Equal(404, error.StatusCode);
    }

    private async Task WorkingSessionAsync()
    {
        await _simulator.EnsureSessionAsync(Setup(), CancellationToken.None);
        await _simulator.ScanAsync(Session, "6280000000001", "Toko Sim");
    }

    private static GatewaySessionSetup Setup() => new(
        Session,
        new Dictionary<string, string> { ["tenantId"] = "t-1", ["workspaceId"] = "w-1" },
        "http://localhost/webhooks/whatsapp",
        "unused-by-the-simulator");
}
