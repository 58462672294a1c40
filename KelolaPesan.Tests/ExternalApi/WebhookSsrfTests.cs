using KelolaPesan.Core.Common;
using KelolaPesan.Core.ExternalApi;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.ExternalApi;

/// <summary>The real app with the webhook address screen ON (as in production); the other API tests run with it off.</summary>
public sealed class ScreenedAppFactory : KelolaAppFactory
{
    public ScreenedAppFactory() : base(new Dictionary<string, string?> { ["Webhooks:Outgoing:AllowPrivateAddresses"] = "false" })
    {
    }
}

public sealed class WebhookSsrfTests(ScreenedAppFactory app) : IClassFixture<ScreenedAppFactory>
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://shop.localhost/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://172.16.0.5/hook")]
    [InlineData("http://192.168.1.10/hook")]
    [InlineData("http://100.64.0.1/hook")]
    [InlineData("http://0.0.0.0/hook")]
    [InlineData("http://2130706433/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    [InlineData("http://[::127.0.0.1]/hook")]
    [InlineData("http://[::7f00:1]/hook")]
    [InlineData("http://[2002:7f00:1::1]/hook")]
    [InlineData("http://192.0.2.1/hook")]
    [InlineData("ftp://example.com/hook")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://user:pass@example.com/hook")]
    public async Task ATenantCannotSaveAWebhookToAnInternalAddress(string url)
    {
        var (tenantId, _) = await DemoTenantAsync();
        var result = await AsTenantAsync(tenantId, sp => sp.GetRequiredService<WebhookSubscriptionService>().SaveAsync(url, [WebhookEvents.MessageReceived]));

        Assert.False(result.Succeeded);
        Assert.Equal("Url", result.ErrorField);
        Assert.Null(await AsTenantAsync(tenantId, sp => sp.GetRequiredService<WebhookSubscriptionService>().GetAsync()));
    }

    [Fact]
    public async Task APublicUrl_IsSaved()
    {
        var (tenantId, _) = await DemoTenantAsync();
        var result = await AsTenantAsync(tenantId, sp => sp.GetRequiredService<WebhookSubscriptionService>().SaveAsync("https://hooks.example.com/kelola", [WebhookEvents.MessageReceived]));
        Assert.True(result.Succeeded, result.Error);
        await AsTenantAsync(tenantId, sp => sp.GetRequiredService<WebhookSubscriptionService>().DeleteAsync());
    }

    [Fact]
    public async Task ANameResolvingToLoopback_IsRefusedAtDelivery_AndTheReceiverHearsNothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (tenantId, _) = await DemoTenantAsync();
        // Stored as if it had passed the save check: "localhost" stands for any public-looking name whose DNS answers a private address.
        var url = receiver.Url.Replace("127.0.0.1", "localhost");
        Guid deliveryId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var secrets = scope.ServiceProvider.GetRequiredService<ISecretProtector>();
            await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
            await db.WebhookSubscriptions.Where(s => s.TenantId == tenantId).ExecuteDeleteAsync();
            db.WebhookSubscriptions.Add(new WebhookSubscription
            {
                TenantId = tenantId, Url = url, Events = WebhookEvents.SessionStatus,
                SecretEncrypted = secrets.Protect(WebhookSubscriptionService.SecretPurpose, "whsec_test"),
            });
            await db.SaveChangesAsync();
            var webhooks = scope.ServiceProvider.GetRequiredService<OutgoingWebhookService>();
            Assert.Equal(1, await webhooks.EnqueueAsync(tenantId, WebhookEvents.SessionStatus, new { status = "Connected" }));
            deliveryId = await db.WebhookDeliveries.Where(d => d.TenantId == tenantId).OrderByDescending(d => d.CreatedAt).Select(d => d.Id).FirstAsync();
            await webhooks.DeliverAsync(deliveryId);
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
            var delivery = await db.WebhookDeliveries.FirstAsync(d => d.Id == deliveryId);
            Assert.Equal(1, delivery.Attempts);
            Assert.NotEqual(WebhookDeliveryStatus.Delivered, delivery.Status);
            Assert.Null(delivery.ResponseCode);
            Assert.Contains("Refused", delivery.Error);
            await db.WebhookSubscriptions.Where(s => s.TenantId == tenantId).ExecuteDeleteAsync();
        }
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task AnAddressOfThisMachine_IsRefusedAtDelivery_AndTheReceiverHearsNothing()
    {
        // A receiver on one of the machine's own non-loopback addresses: what this host's own name resolves to on
        // many servers, and what the URL's host would reach (our own services) if it were delivered to.
        var own = OwnAddresses.NonLoopback()[0];
        await using var receiver = await WebhookReceiver.StartAsync(host: own.ToString());
        var (tenantId, _) = await DemoTenantAsync();
        Guid deliveryId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var secrets = scope.ServiceProvider.GetRequiredService<ISecretProtector>();
            await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
            await db.WebhookSubscriptions.Where(s => s.TenantId == tenantId).ExecuteDeleteAsync();
            db.WebhookSubscriptions.Add(new WebhookSubscription
            {
                TenantId = tenantId, Url = receiver.Url, Events = WebhookEvents.SessionStatus,
                SecretEncrypted = secrets.Protect(WebhookSubscriptionService.SecretPurpose, "whsec_test"),
            });
            await db.SaveChangesAsync();
            var webhooks = scope.ServiceProvider.GetRequiredService<OutgoingWebhookService>();
            Assert.Equal(1, await webhooks.EnqueueAsync(tenantId, WebhookEvents.SessionStatus, new { status = "Connected" }));
            deliveryId = await db.WebhookDeliveries.Where(d => d.TenantId == tenantId).OrderByDescending(d => d.CreatedAt).Select(d => d.Id).FirstAsync();
            await webhooks.DeliverAsync(deliveryId);
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
            var delivery = await db.WebhookDeliveries.FirstAsync(d => d.Id == deliveryId);
            Assert.Equal(1, delivery.Attempts);
            Assert.NotEqual(WebhookDeliveryStatus.Delivered, delivery.Status);
            Assert.Contains("Refused", delivery.Error);
            await db.WebhookSubscriptions.Where(s => s.TenantId == tenantId).ExecuteDeleteAsync();
        }
        Assert.Empty(receiver.Received);
    }

    private async Task<(Guid TenantId, Guid WorkspaceId)> DemoTenantAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        var ws = await db.Workspaces.FirstAsync(w => w.Name == "Toko Utama");
        return (ws.TenantId, ws.Id);
    }

    private async Task<T> AsTenantAsync<T>(Guid tenantId, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().SetTenant(tenantId);
        return await action(scope.ServiceProvider);
    }
}
