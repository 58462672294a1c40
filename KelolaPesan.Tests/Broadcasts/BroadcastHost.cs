using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>
/// Core's real services (<see cref="ServiceHost"/>) with a fake clock (09:00 in Jakarta), one tenant and one connected
/// workspace, a policy the test chooses, and either the simulator gateway or a WAHA gateway against the fake server.
/// </summary>
public sealed class BroadcastHost : ServiceHost
{
    public const string Session = "ws-broadcast-test";
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 2, 0, 0, TimeSpan.Zero); // 09:00 WIB

    private readonly Action<IServiceCollection, TestDatabase>? _configure;

    private BroadcastHost(TestDatabase database, Dictionary<string, string?> settings, FakeTimeProvider clock, Guid tenantId, Guid workspaceId,
        Action<IServiceCollection, TestDatabase>? configure) : base(database, settings, clock)
    {
        Clock = clock;
        TenantId = tenantId;
        WorkspaceId = workspaceId;
        _configure = configure;
    }

    public FakeTimeProvider Clock { get; }
    public Guid TenantId { get; }
    public Guid WorkspaceId { get; }
    protected override Guid? ScopeTenant => TenantId;
    protected override void Configure(IServiceCollection services) => _configure?.Invoke(services, Database);

    /// <summary>Another node over the same database and clock (its own singletons), optionally with its gateway wrapped. Disposed with the host.</summary>
    public ServiceProvider AddNode(Func<IWhatsAppGateway, IWhatsAppGateway>? wrap = null) => AddNode(WrapGateway(wrap));

    public static async Task<BroadcastHost> CreateAsync(PolicySettings policy, Uri? waha = null, Func<IWhatsAppGateway, IWhatsAppGateway>? wrap = null,
        DateTimeOffset? start = null, DatabaseProvider provider = DatabaseProvider.Sqlite, Action<IServiceCollection, TestDatabase>? configure = null)
    {
        var clock = new FakeTimeProvider(start ?? Start);
        var database = await TestDatabase.CreateAsync(provider, clock);
        var workspace = await database.SeedAsync(db =>
        {
            db.Policies.Where(p => p.Tier == null).ExecuteDelete();
            policy.Tier = null;
            db.Policies.Add(policy);
            return Seed.Tenant(db, licence: l => (l.MaxWorkspaces, l.Features) = (3, LicenceFeatures.All))
                .Workspace("Toko", Session, w => w.ConnectionStatus = ConnectionStatus.Connected);
        });

        var settings = new Dictionary<string, string?>();
        if (waha is not null)
        {
            settings["Gateway:Kind"] = "Waha";
            settings["Gateway:Waha:BaseUrl"] = waha.ToString();
            settings["Gateway:Waha:ApiKey"] = Gateways.FakeWahaServer.DefaultApiKey;
            settings["Gateway:Waha:MaxRetries"] = "0";
        }
        var host = new BroadcastHost(database, settings, clock, workspace.TenantId, workspace.Id, configure) { FirstNode = WrapGateway(wrap) };
        if (waha is null)
        {
            var simulator = host.Services.GetRequiredService<SimulatorGateway>();
            await simulator.RestoreConnectedAsync(new GatewaySessionSetup(Session, new Dictionary<string, string>(), "http://127.0.0.1:5999/webhooks/whatsapp", "k"), "628000000001", "Toko");
        }
        return host;
    }

    public T Get<T>(IServiceScope scope) where T : notnull => scope.ServiceProvider.GetRequiredService<T>();

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
        var contact = Seed.In(db, TenantId).Contact(WorkspaceId, phone, name, c => (c.OptedOut, c.LastValidationStatus) = (optedOut, validation));
        await db.SaveChangesAsync();
        return contact;
    }

    /// <summary>Messages the simulator holds as sent to a number (its chat history, fromMe).</summary>
    public async Task<int> SimulatorSendsToAsync(string e164)
    {
        var simulator = Services.GetRequiredService<SimulatorGateway>();
        return (await simulator.GetChatMessagesAsync(Session, ChatIds.FromPhone(e164.TrimStart('+')), 500, true, CancellationToken.None)).Count;
    }
}
