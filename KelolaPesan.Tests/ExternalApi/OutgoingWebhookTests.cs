using System.Collections.Concurrent;
using KelolaPesan.Core.ExternalApi;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Tests.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Tests.ExternalApi;

[Collection(ExternalApiCollection.Name)]
public sealed class OutgoingWebhookTests(ExternalApiHost host)
{
    [Fact]
    public async Task AReceivedMessage_IsPostedSigned_AndRetriedAfterTheReceiverFails()
    {
        await using var receiver = await Receiver.StartAsync(failFirst: 1);
        var ws = await AppWorkspaces.CreateAsync(host.App, "Webhook out " + Guid.NewGuid().ToString("N")[..6]);
        var saved = await host.AsTenantAsync(ws.TenantId, sp => sp.GetRequiredService<WebhookSubscriptionService>()
            .SaveAsync(receiver.Url, [WebhookEvents.MessageReceived, WebhookEvents.MessageStatus]));
        Assert.True(saved.Succeeded, saved.Error);
        Assert.NotNull(saved.NewSecret);

        var body = FakeWahaServer.Envelope("message", ws.Session,
            FakeWahaServer.MessagePayload("out-" + Guid.NewGuid().ToString("N"), "6281234500077@c.us", "6280000000001@c.us", "halo webhook"));
        using (var response = await FakeWahaServer.SendWebhookAsync(ws.WebhookUrl, ws.HmacKey, body))
            Assert.True(response.IsSuccessStatusCode);

        await AppWorkspaces.EventuallyAsync(() => Task.FromResult(receiver.Received.Count(r => r.Status == 200) >= 1), "a delivered webhook", 20);
        var attempts = receiver.Received.Where(r => r.Body.Contains("halo webhook")).ToList();
        Assert.True(attempts.Count >= 2, "the first attempt failed, so a retry must follow");
        Assert.Equal(500, attempts[0].Status);
        foreach (var attempt in attempts)
        {
            // What a receiver does: recompute the HMAC of "<timestamp>.<body>" with its secret.
            var expected = "sha256=" + OutgoingWebhookService.Sign(saved.NewSecret!, attempt.Timestamp, attempt.Body);
            Assert.Equal(expected, attempt.Signature);
            Assert.Equal("message.received", attempt.Event);
        }
        Assert.DoesNotContain(attempts, a => a.Signature == "sha256=" + OutgoingWebhookService.Sign("wrong", a.Timestamp, a.Body));

        await using var db = host.System();
        var delivery = await db.WebhookDeliveries.Where(d => d.TenantId == ws.TenantId && d.Event == WebhookEvents.MessageReceived)
            .OrderByDescending(d => d.CreatedAt).FirstAsync();
        Assert.Equal(WebhookDeliveryStatus.Delivered, delivery.Status);
        Assert.Equal(2, delivery.Attempts);
        Assert.Equal(200, delivery.ResponseCode);
    }

    private sealed record Hit(int Status, string Body, string Signature, string Timestamp, string Event);

    /// <summary>A small Kestrel receiver on loopback that fails its first N requests.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private WebApplication _app = null!;
        private int _failuresLeft;
        public ConcurrentQueue<Hit> Received { get; } = new();
        public string Url { get; private set; } = "";

        public static async Task<Receiver> StartAsync(int failFirst)
        {
            var receiver = new Receiver { _failuresLeft = failFirst };
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            receiver._app = builder.Build();
            receiver._app.Urls.Add("http://127.0.0.1:0");
            receiver._app.MapPost("/hook", async (HttpContext context) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync();
                var status = Interlocked.Decrement(ref receiver._failuresLeft) >= 0 ? 500 : 200;
                receiver.Received.Enqueue(new Hit(status, body, context.Request.Headers["X-Kelola-Signature"].ToString(),
                    context.Request.Headers["X-Kelola-Timestamp"].ToString(), context.Request.Headers["X-Kelola-Event"].ToString()));
                return Results.StatusCode(status);
            });
            await receiver._app.StartAsync();
            var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            receiver.Url = address.TrimEnd('/') + "/hook";
            return receiver;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
