using KelolaPesan.Core.Common;
using KelolaPesan.Core.Instagram;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Instagram;

/// <summary>The real app on Kestrel pointed at a <see cref="FakeGraphServer"/>, with Instagram accounts seeded per test.</summary>
public sealed class InstagramAppHost : IAsyncLifetime
{
    public const string VerifyToken = "fake-verify-token";

    public FakeGraphServer Graph { get; private set; } = null!;
    public KelolaAppFactory App { get; private set; } = null!;

    public Uri WebhookUrl => new($"{App.BaseUrl}/webhooks/instagram");

    public async Task InitializeAsync()
    {
        Graph = await FakeGraphServer.StartAsync();
        App = new KelolaAppFactory();
        foreach (var (key, value) in Graph.Settings)
            App.WithSetting(key, value);
        App.WithSetting("Instagram:SweepSeconds", "1");
        await App.StartAsync();
        App.ServeInstagramMediaFromItself();
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Graph.DisposeAsync();
    }

    public sealed record TestAccount(Guid TenantId, Guid WorkspaceId, Guid AccountId, string InstagramUserId, string Token);

    /// <summary>A new workspace of the demo tenant with a connected account of its own Instagram id (so tests never share one).</summary>
    public async Task<TestAccount> ConnectAsync(string workspaceName = "Instagram test")
    {
        var userId = "1784" + Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999);
        var token = Graph.IssueToken();
        await using var scope = App.Services.CreateAsyncScope();
        var protector = scope.ServiceProvider.GetRequiredService<ISecretProtector>();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        var tenantId = await db.Workspaces.Where(w => w.Name == "Toko Utama").Select(w => w.TenantId).FirstAsync();
        var workspace = Seed.In(db, tenantId).Workspace(workspaceName);
        var account = new InstagramAccount
        {
            TenantId = tenantId, WorkspaceId = workspace.Id, InstagramUserId = userId, Username = "toko" + userId[^4..],
            AccessTokenEncrypted = protector.Protect(InstagramAccountService.TokenPurpose, token), Status = InstagramConnectionStatus.Connected,
            ConnectedAt = DateTimeOffset.UtcNow, TokenExpiresAt = DateTimeOffset.UtcNow.AddDays(60),
        };
        db.InstagramAccounts.Add(account);
        await db.SaveChangesAsync();
        return new TestAccount(tenantId, workspace.Id, account.Id, userId, token);
    }

    public async Task<T> QueryAsync<T>(Func<IKelolaDb, Task<T>> query)
    {
        await using var scope = App.Services.CreateAsyncScope();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        return await query(db);
    }

    /// <summary>Runs in a request-like scope signed in to the tenant.</summary>
    public async Task<T> InTenantAsync<T>(Guid tenantId, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = App.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().SetTenant(tenantId);
        return await action(scope.ServiceProvider);
    }

    public async Task<Guid> CreateAutomationAsync(TestAccount account, CommentAutomationInput input) =>
        await InTenantAsync(account.TenantId, sp => sp.GetRequiredService<CommentAutomationService>().CreateAsync(account.WorkspaceId, input));
}

public static class InstagramMediaLinkSetup
{
    /// <summary>
    /// Points the signed links of DM files (<c>Instagram:PublicBaseUrl</c>) at the started app, whose port is known only
    /// now, so the fake Graph fetches them over real HTTP as Meta would. The links read their options through a monitor:
    /// dropping its cached value makes the next link read the new address.
    /// </summary>
    public static void ServeInstagramMediaFromItself(this KelolaAppFactory app)
    {
        app.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Instagram:PublicBaseUrl"] = app.BaseUrl;
        app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitorCache<InstagramOptions>>().TryRemove(Microsoft.Extensions.Options.Options.DefaultName);
    }
}
