using KelolaPesan.Core;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using KelolaPesan.Data.Security;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web.Realtime;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>
/// Core's real services over a migrated SQLite file with a fake clock (09:00 in Jakarta), one tenant and one connected
/// workspace, a policy the test chooses, and either the simulator gateway or a WAHA gateway against the fake server.
/// </summary>
public sealed class BroadcastHost : IAsyncDisposable
{
    public const string Session = "ws-broadcast-test";
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 2, 0, 0, TimeSpan.Zero); // 09:00 WIB

    private readonly Func<Func<IWhatsAppGateway, IWhatsAppGateway>?, ServiceProvider> _build;
    private readonly List<ServiceProvider> _nodes = [];

    private BroadcastHost(TestDatabase database, Func<Func<IWhatsAppGateway, IWhatsAppGateway>?, ServiceProvider> build, ServiceProvider services,
        FakeTimeProvider clock, Guid tenantId, Guid workspaceId)
    {
        Database = database;
        _build = build;
        Services = services;
        Clock = clock;
        TenantId = tenantId;
        WorkspaceId = workspaceId;
    }

    public TestDatabase Database { get; }
    public ServiceProvider Services { get; }
    public FakeTimeProvider Clock { get; }

    /// <summary>Another node over the same database and clock (its own singletons), optionally with its gateway wrapped. Disposed with the host.</summary>
    public ServiceProvider AddNode(Func<IWhatsAppGateway, IWhatsAppGateway>? wrap = null)
    {
        var node = _build(wrap);
        _nodes.Add(node);
        return node;
    }
    public Guid TenantId { get; }
    public Guid WorkspaceId { get; }

    public static async Task<BroadcastHost> CreateAsync(PolicySettings policy, Uri? waha = null, Func<IWhatsAppGateway, IWhatsAppGateway>? wrap = null,
        DateTimeOffset? start = null, DatabaseProvider provider = DatabaseProvider.Sqlite, Action<IServiceCollection, TestDatabase>? configure = null)
    {
        var clock = new FakeTimeProvider(start ?? Start);
        var database = await TestDatabase.CreateAsync(provider, clock);
        var licence = new Licence { Name = "Test", CodePrefix = "B" + Guid.NewGuid().ToString("N")[..8], CodeHash = [1], MaxWorkspaces = 3, Features = LicenceFeatures.All };
        var tenant = new Tenant { Name = "Test", LicenceId = licence.Id };
        var workspace = new Workspace { TenantId = tenant.Id, Name = "Toko", ExternalSessionId = Session, ConnectionStatus = ConnectionStatus.Connected };
        await using (var db = database.CreateSystem())
        {
            db.Licences.Add(licence);
            db.Tenants.Add(tenant);
            db.Workspaces.Add(workspace);
            await db.Policies.Where(p => p.Tier == null).ExecuteDeleteAsync();
            policy.Tier = null;
            db.Policies.Add(policy);
            await db.SaveChangesAsync();
        }

        var settings = new Dictionary<string, string?> { ["Gateway:PublicBaseUrl"] = "http://127.0.0.1:5999" };
        if (waha is null)
            settings["Gateway:Kind"] = "Simulator";
        else
        {
            settings["Gateway:Kind"] = "Waha";
            settings["Gateway:Waha:BaseUrl"] = waha.ToString();
            settings["Gateway:Waha:ApiKey"] = Gateways.FakeWahaServer.DefaultApiKey;
            settings["Gateway:Waha:MaxRetries"] = "0";
        }
        var protector = new DataProtectionSecretProtector(new EphemeralDataProtectionProvider());
        ServiceProvider Build(Func<IWhatsAppGateway, IWhatsAppGateway>? wrapWith)
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton<TimeProvider>(clock);
            services.AddCoreServices(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
            if (wrapWith is not null)
            {
                var inner = services.Last(d => d.ServiceType == typeof(IWhatsAppGateway));
                services.AddSingleton(sp => wrapWith((IWhatsAppGateway)(inner.ImplementationFactory?.Invoke(sp) ?? sp.GetRequiredService(inner.ImplementationType!))));
            }
            KelolaPesan.Data.DependencyInjection.AddRelationalWriters(services);
            services.AddSingleton(database.Activator);
            services.AddScoped<TenantContext>(_ =>
            {
                var context = new TenantContext();
                context.SetTenant(tenant.Id);
                return context;
            });
            services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
            services.AddScoped<IKelolaDbFactory, KelolaDbFactory>();
            services.AddSingleton<ISecretProtector>(protector);
            services.AddSingleton<IRealtimeBus, InProcessRealtimeBus>();
            services.AddSingleton<Gateways.RecordingEventSink>();
            services.AddSingleton<IGatewayEventSink>(sp => sp.GetRequiredService<Gateways.RecordingEventSink>());
            services.AddSingleton<IAttachmentStore>(new LocalAttachmentStore(Path.Combine(database.Folder, "attachments")));
            configure?.Invoke(services, database);
            return services.BuildServiceProvider();
        }
        var serviceProvider = Build(wrap);
        var host = new BroadcastHost(database, Build, serviceProvider, clock, tenant.Id, workspace.Id);
        if (waha is null)
        {
            var simulator = serviceProvider.GetRequiredService<SimulatorGateway>();
            await simulator.RestoreConnectedAsync(new GatewaySessionSetup(Session, new Dictionary<string, string>(), "http://127.0.0.1:5999/webhooks/whatsapp", "k"), "628000000001", "Toko");
        }
        return host;
    }

    public T Get<T>(IServiceScope scope) where T : notnull => scope.ServiceProvider.GetRequiredService<T>();

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public Task<BroadcastCreated> CreateAsync(CreateBroadcastRequest request) =>
        InScopeAsync(sp => sp.GetRequiredService<BroadcastService>().CreateAsync(request, null));

    public Task<DispatchRun> RunOnceAsync(TimeSpan? maxDuration = null) => RunOnceAsync(Services, maxDuration);

    /// <summary>One run of the queue on the given node.</summary>
    public async Task<DispatchRun> RunOnceAsync(ServiceProvider node, TimeSpan? maxDuration = null)
    {
        await using var scope = node.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BroadcastDispatcher>().RunAsync(TenantId, WorkspaceId, maxDuration: maxDuration);
    }

    /// <summary>Runs the queue as the scheduler would: each run, then the fake clock to the time it asks for, until nothing is left.</summary>
    public async Task<List<DateTimeOffset>> RunToEndAsync(int maxRuns = 500, Action<DispatchRun>? each = null, ServiceProvider? node = null)
    {
        var runs = new List<DateTimeOffset>();
        for (var i = 0; i < maxRuns; i++)
        {
            var run = await RunOnceAsync(node ?? Services);
            each?.Invoke(run);
            runs.Add(Clock.GetUtcNow());
            if (run.NextRunAt is not { } next)
                return runs;
            if (next > Clock.GetUtcNow())
                Clock.SetUtcNow(next);
        }
        throw new InvalidOperationException("The queue did not finish.");
    }

    public CreateBroadcastRequest Request(string numbers, string name = "Promo", string text = "Halo {name|Kak}") => new()
    {
        Name = name, WorkspaceId = WorkspaceId, PastedNumbers = numbers, MessageTemplate = text,
        MinDelaySeconds = 0, MaxDelaySeconds = 0, BatchSize = 1000, BatchRestSeconds = 0, DailyCap = 100_000,
    };

    public async Task<List<BroadcastRecipient>> RecipientsAsync(Guid broadcastId)
    {
        await using var db = Database.CreateForTenant(TenantId);
        return await db.BroadcastRecipients.AsNoTracking().Where(r => r.BroadcastId == broadcastId).OrderBy(r => r.Sequence).ToListAsync();
    }

    public async Task<Broadcast> BroadcastAsync(Guid broadcastId)
    {
        await using var db = Database.CreateForTenant(TenantId);
        return await db.Broadcasts.AsNoTracking().FirstAsync(b => b.Id == broadcastId);
    }

    public async Task<Contact> AddContactAsync(string phone, string name, bool optedOut = false, ValidationStatus? validation = null)
    {
        await using var db = Database.CreateForTenant(TenantId);
        var contact = new Contact { TenantId = TenantId, WorkspaceId = WorkspaceId, Phone = phone, Name = name, OptedOut = optedOut, LastValidationStatus = validation };
        db.Contacts.Add(contact);
        await db.SaveChangesAsync();
        return contact;
    }

    /// <summary>Messages the simulator holds as sent to a number (its chat history, fromMe).</summary>
    public async Task<int> SimulatorSendsToAsync(string e164)
    {
        var simulator = Services.GetRequiredService<SimulatorGateway>();
        return (await simulator.GetChatMessagesAsync(Session, ChatIds.FromPhone(e164.TrimStart('+')), 500, true, CancellationToken.None)).Count;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
        await Services.DisposeAsync();
        await Database.DisposeAsync();
    }
}
