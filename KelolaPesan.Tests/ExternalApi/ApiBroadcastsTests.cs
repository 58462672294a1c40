using KelolaPesan.Core.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.ExternalApi;
using KelolaPesan.Tests.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

using KelolaPesan.Tests.Broadcasts;

namespace KelolaPesan.Tests.ExternalApi;

[Collection(ExternalApiCollection.Name)]
public sealed class ApiBroadcastsTests(ExternalApiHost host)
{
    private static DateTime InTwoDays => DateTime.SpecifyKind(DateTime.UtcNow.AddDays(2), DateTimeKind.Unspecified);

    [Fact]
    public async Task AScheduledBroadcast_IsCreatedPausedAndStarted_WithItsCountsPerState_AndEachWriteIsAudited()
    {
        var (keyId, key) = await host.CreateKeyAsync();
        using var client = host.Client(key);
        var name = "API promo " + Guid.NewGuid().ToString("N")[..6];

        using var created = await client.PostAsJsonAsync("/api/v1/broadcasts", new
        {
            name, workspaceId = host.ShopId, pastedNumbers = "081234567001\n081234567002\n081234567001\n12",
            messageTemplate = "Halo {name|Kak}, promo!", scheduledLocal = InTwoDays,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = view.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/broadcasts/{id}", created.Headers.Location!.ToString());
        Assert.Equal("Scheduled", view.GetProperty("status").GetString());
        Assert.Equal(name, view.GetProperty("name").GetString());
        // The duplicate is removed; the malformed number stays as a skipped recipient (as the composer does).
        var counts = view.GetProperty("counts");
        Assert.Equal(2, counts.GetProperty("Pending").GetInt32());
        Assert.Equal(view.GetProperty("total").GetInt32(), counts.EnumerateObject().Sum(c => c.Value.GetInt32()));

        using (var paused = await client.PostAsync($"/api/v1/broadcasts/{id}/pause", null))
        {
            Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
            Assert.Equal("Paused", (await paused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }
        using (var again = await client.PostAsync($"/api/v1/broadcasts/{id}/pause", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        }
        using (var started = await client.PostAsync($"/api/v1/broadcasts/{id}/start", null))
        {
            Assert.Equal(HttpStatusCode.OK, started.StatusCode);
            Assert.Equal("Running", (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }
        using (await client.PostAsync($"/api/v1/broadcasts/{id}/pause", null))
        {
        }
        var got = await client.GetFromJsonAsync<JsonElement>($"/api/v1/broadcasts/{id}");
        Assert.Equal("Paused", got.GetProperty("status").GetString());

        await using var db = host.System();
        var audit = await db.AuditEntries.Where(a => a.TargetId == id.ToString()).OrderBy(a => a.At).ThenBy(a => a.Id).ToListAsync();
        Assert.Equal([ApiAuditActions.BroadcastCreated, ApiAuditActions.BroadcastPaused, ApiAuditActions.BroadcastStarted, ApiAuditActions.BroadcastPaused],
            audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal((AuditActorType.ApiKey, keyId, host.TenantId), (a.ActorType, a.ActorId!.Value, a.TenantId!.Value)));
        var prefix = key.Split('_')[1];
        Assert.All(audit, a => Assert.Contains($"kp_{prefix}_", a.ActorName));
        Assert.DoesNotContain(audit, a => a.ActorName.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task APauseThroughTheApi_NamesTheKey_OnTheBroadcastOutlook_InTheReadersLanguage()
    {
        var (_, key) = await host.CreateKeyAsync();
        var keyName = await host.AsTenantAsync(host.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IKelolaDbFactory>().CreateAsync();
            return await db.ApiKeys.Where(k => k.Prefix == key.Split('_')[1]).Select(k => k.Name).SingleAsync();
        });
        using var client = host.Client(key);
        using var created = await client.PostAsJsonAsync("/api/v1/broadcasts", new
        {
            name = "API jeda " + Guid.NewGuid().ToString("N")[..6], workspaceId = host.ShopId, pastedNumbers = "081234567003",
            messageTemplate = "Halo", scheduledLocal = InTwoDays,
        });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var paused = await client.PostAsync($"/api/v1/broadcasts/{id}/pause", null);
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        // The reason reads as a sentence in the language asked (English by default), its code beside it (QA: the stored
        // "code|argument" form was answered as is).
        var pausedView = await paused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"Paused through the API with the key '{keyName}'.", pausedView.GetProperty("statusReason").GetString());
        Assert.Equal(BroadcastService.PausedByApiKeyReason, pausedView.GetProperty("statusReasonCode").GetString());

        foreach (var (culture, expected) in new[] { ("en", $"API key '{keyName}'"), ("id", $"kunci API '{keyName}'") })
        {
            var before = (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture);
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new(culture);
            try
            {
                var outlook = await host.AsTenantAsync(host.TenantId, sp => sp.GetRequiredService<BroadcastService>().OutlookAsync(id));
                Assert.Equal((BroadcastPhase.Paused, BroadcastWaitReason.PausedByPerson, expected), (outlook!.Phase, outlook.Reason, outlook.PausedBy));
            }
            finally
            {
                (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture) = before;
            }
        }
    }

    /// <summary>QA: "scheduledAt" (the view's name) for "scheduledLocal" was ignored, and the broadcast went out at once.</summary>
    [Fact]
    public async Task AFieldTheEndpointDoesNotHave_IsRefused_AndNothingIsCreated()
    {
        var (_, key) = await host.CreateKeyAsync();
        using var client = host.Client(key);
        var before = await CountBroadcastsAsync();
        var json = $$"""{"name":"salah kolom","workspaceId":"{{host.ShopId}}","messageTemplate":"Halo","pastedNumbers":"081234567001","scheduledAt":"2027-01-01T10:00:00+07:00"}""";

        using var response = await client.PostAsync("/api/v1/broadcasts", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Api_InvalidBody", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(before, await CountBroadcastsAsync());
    }

    [Theory]
    [InlineData("""{"messageTemplate":"Halo","pastedNumbers":"081234567001"}""", "name")]
    [InlineData("""{"name":"x","pastedNumbers":"081234567001"}""", "messageTemplate")]
    [InlineData("""{"name":"x","messageTemplate":"Halo {name","pastedNumbers":"081234567001"}""", "messageTemplate")]
    [InlineData("""{"name":"x","messageTemplate":"Halo"}""", "audience")]
    [InlineData("""{"name":"x","messageTemplate":"Halo","pastedNumbers":"081234567001","minDelaySeconds":50,"maxDelaySeconds":10}""", "maxDelaySeconds")]
    public async Task AnInvalidBroadcast_AnswersAValidationProblemNamingTheField(string json, string field)
    {
        var (_, key) = await host.CreateKeyAsync();
        using var client = host.Client(key);
        json = $$"""{"workspaceId":"{{host.ShopId}}",""" + json[1..];
        var before = await CountBroadcastsAsync();

        using var response = await client.PostAsync("/api/v1/broadcasts", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before, await CountBroadcastsAsync());
    }

    [Fact]
    public async Task AnotherTenantsBroadcast_AndOneOutsideTheKeysWorkspace_AnswerNotFound()
    {
        var other = await host.CreateOtherTenantAsync();
        Guid foreign;
        await using (var db = host.System())
        {
            var b = new Broadcast { TenantId = other.TenantId, WorkspaceId = other.WorkspaceId, Name = "theirs", MessageTemplate = "x", Status = BroadcastStatus.Paused };
            db.Broadcasts.Add(b);
            await db.SaveChangesAsync();
            foreign = b.Id;
        }
        var (_, key) = await host.CreateKeyAsync();
        using var client = host.Client(key);
        foreach (var (method, path) in new[] { ("GET", ""), ("POST", "/start"), ("POST", "/pause") })
        {
            using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/api/v1/broadcasts/{foreign}{path}"));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        await using (var db = host.System())
            Assert.Equal(BroadcastStatus.Paused, (await db.Broadcasts.IgnoreQueryFilters([QueryFilters.Tenant, QueryFilters.SoftDelete]).FirstAsync(b => b.Id == foreign)).Status);

        using (var inTheirs = await client.PostAsJsonAsync("/api/v1/broadcasts",
                   new { name = "x", workspaceId = other.WorkspaceId, messageTemplate = "Halo", pastedNumbers = "081234567001" }))
            Assert.Equal(HttpStatusCode.NotFound, inTheirs.StatusCode);

        // A key scoped to "Layanan Pelanggan" neither sees nor creates broadcasts of "Toko Utama".
        using var full = host.Client(key);
        using var mine = await full.PostAsJsonAsync("/api/v1/broadcasts",
            new { name = "scoped", workspaceId = host.ShopId, messageTemplate = "Halo", pastedNumbers = "081234567003", scheduledLocal = InTwoDays });
        var shopBroadcast = (await mine.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var (_, scopedKey) = await host.CreateKeyAsync(host.CareId);
        using var scoped = host.Client(scopedKey);
        using (var get = await scoped.GetAsync($"/api/v1/broadcasts/{shopBroadcast}"))
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using (var create = await scoped.PostAsJsonAsync("/api/v1/broadcasts",
                   new { name = "x", workspaceId = host.ShopId, messageTemplate = "Halo", pastedNumbers = "081234567001" }))
            Assert.Equal(HttpStatusCode.NotFound, create.StatusCode);
        using (await full.PostAsync($"/api/v1/broadcasts/{shopBroadcast}/pause", null))
        {
        }
    }

    [Fact]
    public async Task ACompletedBroadcast_PostsOneSignedBroadcastFinishedWebhook()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var saved = await host.AsTenantAsync(host.TenantId, sp => sp.GetRequiredService<WebhookSubscriptionService>()
            .SaveAsync(receiver.Url, [WebhookEvents.BroadcastFinished], rotateSecret: true));
        Assert.True(saved.Succeeded, saved.Error);
        var restore = await AllowZeroPacingAsync();
        try
        {
            // A workspace of its own: a test before this one may have started a broadcast in the shop that sent once
            // before its pause, and the number's pacing (30-60 s by default) would hold this broadcast's first send that long.
            var workspaceId = await host.AddConnectedWorkspaceAsync("API selesai");
            var (_, key) = await host.CreateKeyAsync();
            using var client = host.Client(key);
            var text = "Selesai " + Guid.NewGuid().ToString("N")[..8];
            using var created = await client.PostAsJsonAsync("/api/v1/broadcasts", new
            {
                name = "API finished", workspaceId, pastedNumbers = "081234567011\n081234567012",
                messageTemplate = text, minDelaySeconds = 0, maxDelaySeconds = 0,
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

            await AppWorkspaces.EventuallyAsync(() => Task.FromResult(receiver.Received.Any(h => h.Event == WebhookEvents.BroadcastFinished && h.Body.Contains(id.ToString()))),
                "a broadcast.finished webhook", 40);
            // The positive marker before asserting "only one": every delivery the completion queued has been made
            // (none still pending that could post a second time later), and exactly one was queued.
            async Task<List<WebhookDelivery>> DeliveriesAsync()
            {
                await using var db = host.System();
                return await db.WebhookDeliveries.Where(d => d.TenantId == host.TenantId && d.Event == WebhookEvents.BroadcastFinished && d.Payload.Contains(id.ToString())).ToListAsync();
            }
            await AppWorkspaces.EventuallyAsync(async () => (await DeliveriesAsync()).All(d => d.Status != WebhookDeliveryStatus.Pending), "the deliveries made");
            Assert.Single(await DeliveriesAsync());
            var hit = Assert.Single(receiver.Received, h => h.Body.Contains(id.ToString()));
            Assert.Equal("sha256=" + OutgoingWebhookService.Sign(saved.NewSecret!, hit.Timestamp, hit.Body), hit.Signature);
            var data = JsonDocument.Parse(hit.Body).RootElement.GetProperty("data");
            Assert.Equal("Completed", data.GetProperty("status").GetString());
            Assert.Equal(2, data.GetProperty("sent").GetInt32());
            Assert.Equal(2, host.Waha.RequestsTo("POST", "/api/sendText").Count(r => r.Body.Contains(text)));
        }
        finally
        {
            await restore();
            await host.AsTenantAsync(host.TenantId, sp => sp.GetRequiredService<WebhookSubscriptionService>().DeleteAsync());
        }
    }

    private async Task<int> CountBroadcastsAsync()
    {
        await using var db = host.System();
        return await db.Broadcasts.CountAsync();
    }

    /// <summary>Zero pacing and an all-day window for the demo licence's tier, undone afterwards.</summary>
    private async Task<Func<Task>> AllowZeroPacingAsync()
    {
        await using var db = host.System();
        var tier = await db.Tenants.Where(t => t.Id == host.TenantId).Join(db.Licences, t => t.LicenceId, l => l.Id, (t, l) => l.Tier).FirstAsync();
        return await ZeroPacing.AllowAsync(host.System, tier);
    }
}
