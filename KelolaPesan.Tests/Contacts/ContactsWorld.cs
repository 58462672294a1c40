using KelolaPesan.Data;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Contacts.Import;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Contacts;

/// <summary>
/// A migrated database of the test's provider with one tenant (region ID) and one workspace, and the contact services
/// over it as that tenant's user gets them (<see cref="ServiceHost"/>), the realtime events recorded.
/// </summary>
public sealed class ContactsWorld : ServiceHost
{
    private ContactsWorld(TestDatabase database, Guid tenantId, Guid workspaceId) : base(database)
    {
        TenantId = tenantId;
        WorkspaceId = workspaceId;
        var services = TenantScope(tenantId);
        Factory = services.GetRequiredService<IKelolaDbFactory>();
        Contacts = services.GetRequiredService<ContactService>();
        Catalog = services.GetRequiredService<ContactCatalogService>();
        Policies = services.GetRequiredService<Core.Admin.PolicyService>();
        Imports = services.GetRequiredService<ContactImportService>();
        Segments = services.GetRequiredService<SegmentService>();
        Export = services.GetRequiredService<ContactExportService>();
    }

    public Core.Admin.PolicyService Policies { get; }
    public Guid TenantId { get; }
    public Guid WorkspaceId { get; }
    public IKelolaDbFactory Factory { get; }
    public RecordingBus Bus { get; } = new();
    public ContactService Contacts { get; }
    public ContactCatalogService Catalog { get; }
    public ContactImportService Imports { get; }
    public SegmentService Segments { get; }
    public ContactExportService Export { get; }
    public string Folder => Database.Folder;

    protected override void Configure(IServiceCollection services) => services.AddSingleton<IRealtimeBus>(Bus);

    /// <param name="interceptors">On every context of the world (e.g. a <see cref="ReadCounter"/>).</param>
    public static async Task<ContactsWorld> CreateAsync(DatabaseProvider provider = DatabaseProvider.Sqlite,
        IEnumerable<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>? interceptors = null)
    {
        var database = await TestDatabase.CreateAsync(provider, interceptors: interceptors);
        var (tenantId, workspaceId) = await database.SeedAsync(db => AddTenant(db, "a"));
        return new ContactsWorld(database, tenantId, workspaceId);
    }

    public static (Guid TenantId, Guid WorkspaceId) AddTenant(IKelolaDb db, string tag)
    {
        var tenant = Seed.Tenant(db, $"tenant {tag}", l => l.Features = LicenceFeatures.All);
        return (tenant.Id, tenant.Workspace($"ws {tag}", $"ws-{tag}-{Guid.NewGuid():N}").Id);
    }

    /// <summary>Sets the limits of the default policy row, or of a tier's override when <paramref name="tier"/> is given.</summary>
    public async Task SetImportLimitsAsync(long maxBytes, int maxRows, PolicyTier? tier = null)
    {
        await using var db = Database.CreateSystem();
        var policy = db.Policies.FirstOrDefault(p => p.Tier == tier);
        if (policy is null)
            db.Policies.Add(policy = new Core.Admin.PolicySettings { Tier = tier });
        policy.MaxImportBytes = maxBytes;
        policy.MaxImportRows = maxRows;
        await db.SaveChangesAsync();
    }

    /// <summary>Preview, then run with the guessed mapping (the wizard's defaults).</summary>
    public async Task<(ImportPreview Preview, ContactImport? Import)> ImportAsync(string path, ImportDuplicateMode mode = ImportDuplicateMode.Skip, Action<ImportOptions>? adjust = null)
    {
        var preview = await Imports.PreviewAsync(WorkspaceId, path, null);
        if (!preview.IsOk)
            return (preview, null);
        var options = new ImportOptions { Sheet = preview.Sheet, HeaderRow = preview.HeaderRow, Mapping = preview.Mapping, Mode = mode };
        adjust?.Invoke(options);
        var id = await Imports.CreateAsync(WorkspaceId, null, Path.GetFileName(path), path.EndsWith(".csv") ? ImportSource.Csv : ImportSource.Xlsx, options);
        return (preview, await Imports.RunAsync(TenantId, id!.Value, path, options));
    }

    public string PathFor(string name) => Path.Combine(Folder, name);
}

public sealed class RecordingBus : IRealtimeBus
{
    private readonly List<RealtimeEvent> _events = [];

    public IReadOnlyList<RealtimeEvent> Events
    {
        get { lock (_events) return [.. _events]; }
    }

    public IDisposable Subscribe(string topic, Func<RealtimeEvent, Task> handler) => new Nothing();

    public Task PublishAsync(string topic, RealtimeEvent evt)
    {
        lock (_events)
            _events.Add(evt);
        return Task.CompletedTask;
    }

    private sealed class Nothing : IDisposable
    {
        public void Dispose() { }
    }
}
