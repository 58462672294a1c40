using System.Net.Http.Headers;
using System.Security.Cryptography;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.ExternalApi;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.ExternalApi;

/// <summary>The real app in WAHA mode against the fake WAHA server, with helpers to make keys and a second tenant.</summary>
public sealed class ExternalApiHost : IAsyncLifetime
{
    public const int PermitsPerMinute = 40;
    public FakeWahaServer Waha { get; private set; } = null!;
    public KelolaAppFactory App { get; private set; } = null!;
    public Guid TenantId { get; private set; }
    public Guid ShopId { get; private set; }
    public Guid CareId { get; private set; }
    public string ShopSession { get; private set; } = "";

    /// <summary>The collection's host runs on SQLite; a test that makes its own host may choose PostgreSQL.</summary>
    public KelolaPesan.Data.DatabaseProvider Provider { get; init; } = KelolaPesan.Data.DatabaseProvider.Sqlite;

    public async Task InitializeAsync()
    {
        Waha = await FakeWahaServer.StartAsync();
        App = new KelolaAppFactory()
            .WithSetting("Gateway:Kind", "Waha")
            .WithSetting("Gateway:Waha:BaseUrl", Waha.BaseAddress.ToString())
            .WithSetting("Gateway:Waha:ApiKey", FakeWahaServer.DefaultApiKey)
            .WithSetting("Gateway:PublicBaseUrl", "http://kelola.example")
            .WithSetting("Gateway:MonitorIntervalSeconds", "0")
            .WithSetting("Api:RateLimit:PermitsPerMinute", PermitsPerMinute.ToString())
            .WithSetting("Webhooks:Outgoing:RetryBaseSeconds", "0.3")
            .WithSetting("Webhooks:Outgoing:SweepSeconds", "0.2")
            // Receivers in these tests listen on loopback; WebhookSsrfTests runs a host with the screen on.
            .WithSetting("Webhooks:Outgoing:AllowPrivateAddresses", "true");
        await App.UseProviderAsync(Provider);
        await App.StartAsync();
        await using var db = System();
        var ws = await db.Workspaces.Where(w => w.Name == "Toko Utama" || w.Name == "Layanan Pelanggan").ToListAsync();
        TenantId = ws[0].TenantId;
        ShopId = ws.Single(w => w.Name == "Toko Utama").Id;
        CareId = ws.Single(w => w.Name == "Layanan Pelanggan").Id;
        ShopSession = ws.Single(w => w.Name == "Toko Utama").ExternalSessionId!;
        Waha.AddSession(ShopSession);
    }

    public async Task DisposeAsync()
    {
        _scope?.Dispose();
        await App.DisposeAsync();
        await Waha.DisposeAsync();
    }

    // The factory is scoped: one long-lived scope of the host hands out system contexts.
    public IKelolaDb System() => (_scope ??= App.Services.CreateScope()).ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();

    private IServiceScope? _scope;

    public async Task<T> AsTenantAsync<T>(Guid tenantId, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = App.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().SetTenant(tenantId);
        return await action(scope.ServiceProvider);
    }

    public async Task<(Guid Id, string Key)> CreateKeyAsync(Guid? workspaceId = null, Guid? tenantId = null)
    {
        var result = await AsTenantAsync(tenantId ?? TenantId, sp => sp.GetRequiredService<ApiKeyService>().CreateAsync("test " + Guid.NewGuid().ToString("N")[..6], workspaceId, AuditActor.System));
        Assert.True(result.Succeeded, result.Error);
        return (result.Id!.Value, result.FullKey!);
    }

    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = new Uri(App.BaseUrl) };
        if (key is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Another workspace of the demo tenant, its WAHA session working and the workspace connected.</summary>
    public async Task<Guid> AddConnectedWorkspaceAsync(string name)
    {
        await using var db = System();
        var workspace = Seed.In(db, TenantId).Workspace(name, configure: w =>
            (w.ExternalSessionId, w.ConnectionStatus) = (WorkspaceService.SessionNameFor(w.Id), ConnectionStatus.Connected));
        await db.SaveChangesAsync();
        Waha.AddSession(workspace.ExternalSessionId!);
        return workspace.Id;
    }

    /// <summary>Another tenant with a workspace, a contact and a message; its licence has the REST API only when asked.</summary>
    public async Task<OtherTenant> CreateOtherTenantAsync(bool restApi = true)
    {
        await using var db = System();
        var tenant = Seed.Tenant(db, "Other " + Guid.NewGuid().ToString("N")[..6], l => l.Features = restApi ? LicenceFeatures.All : LicenceFeatures.None);
        var workspace = tenant.Workspace("Other shop");
        var contact = tenant.Contact(workspace.Id, "+6281299990000", "Secret customer");
        var chat = tenant.Chat(workspace.Id, "x", "+6281299990000");
        var message = new Core.Inbox.Message { TenantId = tenant.Id, WorkspaceId = workspace.Id, ChatId = chat.Id, Body = "private", Direction = Core.Inbox.MessageDirection.Outbound };
        db.Messages.Add(message);
        await db.SaveChangesAsync();
        return new OtherTenant(tenant.Id, workspace.Id, contact.Id, message.Id);
    }

    public sealed record OtherTenant(Guid TenantId, Guid WorkspaceId, Guid ContactId, Guid MessageId);
}

[CollectionDefinition(Name)]
public sealed class ExternalApiCollection : ICollectionFixture<ExternalApiHost>
{
    public const string Name = "external-api";
}
