using System.Text.Json.Nodes;
using KelolaPesan.Core.Gateways;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Tests.Gateways;

/// <summary>
/// The webhook path end to end without a database: a session configured through the adapter makes the
/// fake WAHA post signed events that verify and parse on the receiving side.
/// </summary>
public sealed class WebhookRoundTripTests : IAsyncLifetime
{
    private const string HmacKey = "round-trip-key";
    private readonly List<(bool Verified, GatewayEvent? Event)> _received = [];
    private FakeWahaServer _waha = null!;
    private WebApplication _receiver = null!;
    private Uri _webhookUrl = null!;

    public async Task InitializeAsync()
    {
        _waha = await FakeWahaServer.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        _receiver = builder.Build();
        _receiver.Urls.Add("http://127.0.0.1:0");
        _receiver.MapPost("/webhooks/whatsapp", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var verified = WebhookSignature.Verify(body, HmacKey, request.Headers[WebhookSignature.HmacHeader], request.Headers[WebhookSignature.AlgorithmHeader]);
            lock (_received)
                _received.Add((verified, verified ? WahaWebhookParser.Parse(body) : null));
            return verified ? Results.Ok() : Results.Unauthorized();
        });
        await _receiver.StartAsync();
        var address = _receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _webhookUrl = new Uri(new Uri(address), "/webhooks/whatsapp");
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _waha.DisposeAsync();
    }

    [Fact]
    public async Task EventsOfAConfiguredSession_ArriveSigned_AndParseWithTheirRoutingMetadata()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Kind"] = "Waha",
            ["Gateway:Waha:BaseUrl"] = _waha.BaseAddress.ToString(),
            ["Gateway:Waha:ApiKey"] = FakeWahaServer.DefaultApiKey,
        }).Build();
        await using var services = new ServiceCollection().AddGateways(config).BuildServiceProvider();
        var gateway = services.GetRequiredService<IWhatsAppGateway>();
        await gateway.EnsureSessionAsync(new GatewaySessionSetup("ws_rt", new Dictionary<string, string> { ["tenantId"] = "t-9", ["workspaceId"] = "w-9" }, _webhookUrl.ToString(), HmacKey), CancellationToken.None);

        var responses = await _waha.EmitAsync("ws_rt", "message.any", FakeWahaServer.MessagePayload("false_1@c.us_A", "628111@c.us", "6280000000001@c.us", "halo", pushName: "Budi"));
        await _waha.EmitAsync("ws_rt", "message.ack", new JsonObject { ["id"] = "true_628111@c.us_B", ["from"] = "628111@c.us", ["fromMe"] = true, ["ack"] = 3 });
        await _waha.EmitAsync("ws_rt", "presence.update", new JsonObject());

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode));
        Assert.Equal(2, _received.Count);
        Assert.All(_received, r => Assert.True(r.Verified));
        var message = Assert.IsType<MessageReceived>(_received[0].Event);
        Assert.Equal("Budi", message.Message.PushName);
        Assert.Equal("w-9", message.Metadata["workspaceId"]);
        Assert.IsType<MessageAcked>(_received[1].Event);
    }

    [Fact]
    public async Task AWebhookSignedWithAnotherKey_IsRejected()
    {
        var body = FakeWahaServer.Envelope("message.any", "ws_rt", FakeWahaServer.MessagePayload("false_1@c.us_A", "628111@c.us", "628000@c.us", "halo"));

        var response = await FakeWahaServer.SendWebhookAsync(_webhookUrl, "wrong-key", body);

        Assert.Equal(401, (int)response.StatusCode);
        Assert.False(Assert.Single(_received).Verified);
    }
}
