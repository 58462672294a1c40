using KelolaPesan.Core.Common;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Webhooks;

/// <summary>Workspaces of the demo tenant inside a running app, with a webhook key the test knows.</summary>
public static class AppWorkspaces
{
    public sealed record TestWorkspace(Guid TenantId, Guid WorkspaceId, string Session, string HmacKey, Uri WebhookUrl);

    public static async Task<TestWorkspace> CreateAsync(KelolaAppFactory app, string name = "Webhook test")
    {
        var key = "test-key-" + Guid.NewGuid().ToString("N");
        await using var scope = app.Services.CreateAsyncScope();
        var protector = scope.ServiceProvider.GetRequiredService<ISecretProtector>();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        var tenantId = await db.Workspaces.Where(w => w.Name == "Toko Utama").Select(w => w.TenantId).FirstAsync();
        var workspace = Seed.In(db, tenantId).Workspace(name, configure: w =>
            (w.ExternalSessionId, w.WebhookSecretEncrypted) = (WorkspaceService.SessionNameFor(w.Id), protector.Protect(WorkspaceService.WebhookSecretPurpose, key)));
        await db.SaveChangesAsync();
        return new TestWorkspace(tenantId, workspace.Id, workspace.ExternalSessionId!, key,
            new Uri($"{app.BaseUrl}/webhooks/whatsapp?workspace={workspace.Id}"));
    }

    public static async Task<T> QueryAsync<T>(KelolaAppFactory app, Func<IKelolaDb, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        return await query(db);
    }

    /// <summary>Waits for background processing: polls until the condition holds, fails after the timeout.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, double seconds = 15)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
                Assert.Fail($"Timed out waiting for: {what}");
            await Task.Delay(50);
        }
    }
}
