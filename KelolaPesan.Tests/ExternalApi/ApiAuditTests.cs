using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.ExternalApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.ExternalApi;

[Collection(ExternalApiCollection.Name)]
public sealed class ApiAuditTests(ExternalApiHost host)
{
    [Fact]
    public async Task ASendThroughTheApi_LeavesAnAuditRowNamingTheKey_AndKeyCreationAndRevocationAreAudited()
    {
        var (keyId, key) = await host.CreateKeyAsync();
        using var client = host.Client(key);
        using var response = await client.PostAsJsonAsync("/api/v1/messages", new { workspaceId = host.ShopId, to = "081234567820", text = "Audit " + Guid.NewGuid() });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var messageId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid().ToString();
        Assert.True(await host.AsTenantAsync(host.TenantId, sp => sp.GetRequiredService<ApiKeyService>().RevokeAsync(keyId, AuditActor.System)));

        await using var db = host.System();
        var sent = await db.AuditEntries.SingleAsync(a => a.TargetId == messageId);
        Assert.Equal(ApiAuditActions.MessageSent, sent.Action);
        Assert.Equal((AuditActorType.ApiKey, (Guid?)keyId, (Guid?)host.TenantId), (sent.ActorType, sent.ActorId, sent.TenantId));
        Assert.Contains($"kp_{key.Split('_')[1]}_", sent.ActorName);
        Assert.DoesNotContain(key.Split('_')[2], sent.ActorName + sent.Details);
        var keyActions = await db.AuditEntries.Where(a => a.TargetId == keyId.ToString()).Select(a => a.Action).ToListAsync();
        Assert.Equal([ApiAuditActions.KeyCreated, ApiAuditActions.KeyRevoked], keyActions.Order());
    }
}
