using KelolaPesan.Core.ExternalApi;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Tests.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.ExternalApi;

[Collection(ExternalApiCollection.Name)]
public sealed class OutgoingWebhookTests(ExternalApiHost host)
{
    [Fact]
    public async Task AReceivedMessage_IsPostedSigned_AndRetriedAfterTheReceiverFails()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 1);
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
}
