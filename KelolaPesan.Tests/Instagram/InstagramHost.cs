using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Instagram;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Instagram;

/// <summary>Core's real services (<see cref="PrivacyHost"/>: SQLite file, tenants alpha and bravo) wired to a <see cref="FakeGraphServer"/>.</summary>
public sealed class InstagramHost : IAsyncDisposable
{
    public const string Redirect = "https://app.test/instagram/callback";
    public const string OwnerPhone = "6281234500077";

    private InstagramHost(PrivacyHost host, FakeGraphServer graph) => (Host, Graph) = (host, graph);

    public PrivacyHost Host { get; }
    public FakeGraphServer Graph { get; }
    public Guid AlphaWorkspace { get; private set; }
    public Guid BravoWorkspace { get; private set; }

    public static async Task<InstagramHost> CreateAsync()
    {
        var graph = await FakeGraphServer.StartAsync();
        var settings = graph.Settings.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        settings["Instagram:RetryDelaySeconds"] = "0.01";
        var host = new InstagramHost(await PrivacyHost.CreateAsync(settings), graph);
        host.AlphaWorkspace = await host.AddWorkspaceAsync(host.Host.Alpha, "Toko Alpha");
        host.BravoWorkspace = await host.AddWorkspaceAsync(host.Host.Bravo, "Toko Bravo");
        return host;
    }

    public Task<T> Accounts<T>(Func<InstagramAccountService, Task<T>> action) => Host.Run(action);

    /// <summary>Plays the browser's round trip: the fake's authorize page hands out a code, the service completes the connect.</summary>
    public Task<InstagramConnectResult> ConnectAsync(Guid workspaceId) =>
        Accounts(s => s.ConnectAsync(workspaceId, Graph.IssueCode(Redirect) + "#_", Redirect, PrivacyHost.Owner));

    public async Task<InstagramAccount?> AccountAsync(Guid workspaceId)
    {
        await using var db = Host.Database.CreateSystem();
        return await db.InstagramAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.WorkspaceId == workspaceId);
    }

    /// <summary>
    /// A connected admin workspace on the simulator and an owner with a phone in alpha, so PlatformNotifier really sends.
    /// </summary>
    public async Task EnableOwnerNotificationsAsync()
    {
        await Host.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<PlatformDefaults>().EnsureAsync();
            var admin = await sp.GetRequiredService<AdminConnection>().EnsureAsync(AuditActor.System);
            var simulator = sp.GetRequiredService<SimulatorGateway>();
            await simulator.EnsureSessionAsync(new GatewaySessionSetup(admin.SessionName!, new Dictionary<string, string>(), "http://127.0.0.1:5999/webhooks/whatsapp", "k"), default);
            await simulator.ScanAsync(admin.SessionName!, "6281100000001", "Admin");
            await using var db = Host.Database.CreateSystem();
            var workspace = await db.Workspaces.SingleAsync(w => w.Id == admin.WorkspaceId);
            workspace.ConnectionStatus = ConnectionStatus.Connected;
            db.Users.Add(new AppUser { TenantId = Host.Alpha, Username = "pemilik-alpha", DisplayName = "Pemilik Alpha", Role = UserRole.Owner, Phone = OwnerPhone });
            await db.SaveChangesAsync();
            return true;
        });
    }

    private async Task<Guid> AddWorkspaceAsync(Guid tenantId, string name)
    {
        await using var db = Host.Database.CreateForTenant(tenantId);
        var workspace = Seed.In(db, tenantId).Workspace(name);
        await db.SaveChangesAsync();
        return workspace.Id;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Graph.DisposeAsync();
    }
}
