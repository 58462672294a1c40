using System.Diagnostics;
using System.Globalization;
using KelolaPesan.Core;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using KelolaPesan.Web.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Bench.Scenarios;

/// <summary>
/// A broadcast to N contacts of one list with zero pacing through a zero-latency in-process gateway: the time to create it
/// (audience resolved, texts rendered with placeholders and spintax, recipient rows inserted) and the dispatcher's sends
/// per second with every recipient's claim (Sending), result (Sent + gateway id), counters and budget persisted.
/// </summary>
public sealed class BroadcastDispatchScenario : IScenario
{
    public string Name => "broadcast-dispatch";
    public string Description => "--recipients N [--no-dispatch]: materialise and dispatch a zero-pacing broadcast [--provider Sqlite|Postgres] (targets: materialise < 5 s, >= 500 sends/s)";

    public async Task<int> RunAsync(string[] args)
    {
        var count = args.SkipWhile(a => a != "--recipients").Skip(1).Select(int.Parse).FirstOrDefault(100_000);
        await using var database = await BenchDatabase.CreateAsync(args);
        Console.WriteLine($"broadcast-dispatch: {database.Describe()}");
        var (tenantId, workspaceId, listId) = await SeedAsync(database, count);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCoreServices(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:Kind"] = "Simulator", ["Gateway:PublicBaseUrl"] = "http://127.0.0.1:1" }).Build());
        var gateway = new ZeroLatencyGateway();
        services.AddSingleton<IWhatsAppGateway>(gateway);
        KelolaPesan.Data.DependencyInjection.AddRelationalWriters(services);
        services.AddSingleton(database.Activator);
        services.AddScoped(_ => { var t = new TenantContext(); t.SetTenant(tenantId); return t; });
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        services.AddScoped<IKelolaDbFactory, KelolaDbFactory>();
        services.AddSingleton<IRealtimeBus, InProcessRealtimeBus>();
        services.AddSingleton<IGatewayEventSink, NullSink>();
        services.AddSingleton<IAttachmentStore>(new LocalAttachmentStore(Path.Combine(database.Folder, "attachments")));
        await using var provider = services.BuildServiceProvider();

        var request = new CreateBroadcastRequest
        {
            Name = "bench", WorkspaceId = workspaceId, ListIds = [listId], MessageTemplate = "{Halo|Hai|Selamat pagi} {name|Kak}, promo {kota|kota kamu} minggu ini!",
            MinDelaySeconds = 0, MaxDelaySeconds = 0, BatchSize = 1_000_000, BatchRestSeconds = 0, DailyCap = 1_000_000,
        };
        PeakMemory.Reset();
        var baseMiB = PeakMemory.WorkingSetMiB();
        var watch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        await using (var probe = database.Activator.Create(SystemTenant.Instance))
        {
            // The audience read through, page by page, as the creation reads it (nothing kept).
            var audience = await BroadcastAudience.OpenAsync(probe, workspaceId, "ID", request, CancellationToken.None);
            var tally = new AudienceTally();
            await foreach (var _ in audience.ReadAsync(probe, tally))
            {
            }
            Console.WriteLine($"audience alone: {tally.Members:N0} members read in {watch.Elapsed.TotalSeconds:0.00} s");
        }
        var audienceCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var audiencePeak = PeakMemory.PeakMiB();
        // The creation's own peak (the probe above read the same audience).
        PeakMemory.Reset();
        watch.Restart();
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        BroadcastCreated created;
        await using (var scope = provider.CreateAsyncScope())
            created = await scope.ServiceProvider.GetRequiredService<BroadcastService>().CreateAsync(request, null);
        var materialise = watch.Elapsed;
        // CPU time of the process (all threads, GC included) beside the wall clock: on a machine shared with other builds
        // the wall clock mostly measures waiting for a core; CPU seconds compare runs made under different loads better.
        var materialiseCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var materialisePeak = PeakMemory.PeakMiB();
        if (!created.Succeeded)
        {
            Console.Error.WriteLine(string.Join("; ", created.Errors));
            return 1;
        }
        Console.WriteLine($"created broadcast with {created.Recipients:N0} recipients ({created.Skipped} skipped) in {materialise.TotalSeconds:0.00} s (audience + render + insert), "
                          + $"CPU {materialiseCpu.TotalSeconds:0.00} s (audience alone {audienceCpu.TotalSeconds:0.00} s CPU); peak working set {materialisePeak:0} MiB (audience alone {audiencePeak:0} MiB; {baseMiB:0} MiB before)");

        if (args.Contains("--no-dispatch"))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT broadcast-dispatch provider={database.Provider} recipients={created.Recipients} materialise_s={materialise.TotalSeconds:0.00} materialise_cpu_s={materialiseCpu.TotalSeconds:0.00} materialise_peak_mib={materialisePeak:0} materialise_ok={materialise.TotalSeconds < 5}"));
            return 0;
        }
        watch.Restart();
        var runs = 0;
        while (true)
        {
            await using var scope = provider.CreateAsyncScope();
            var run = await scope.ServiceProvider.GetRequiredService<BroadcastDispatcher>().RunAsync(tenantId, workspaceId, maxSends: 5_000, maxDuration: TimeSpan.FromSeconds(30));
            runs++;
            if (run.NextRunAt is null)
                break;
        }
        var dispatch = watch.Elapsed;
        await using var db = database.Activator.Create(SystemTenant.Instance);
        var sent = await db.BroadcastRecipients.CountAsync(r => r.Status == RecipientStatus.Sent && r.ExternalMessageId != null);
        var counters = await db.Broadcasts.AsNoTracking().Where(b => b.Id == created.BroadcastId).Select(b => new { b.SentCount, b.PendingCount, b.Status }).FirstAsync();
        var perSecond = sent / dispatch.TotalSeconds;
        Console.WriteLine($"dispatched {sent:N0} (gateway calls {gateway.Calls:N0}) in {dispatch.TotalSeconds:0.00} s over {runs} runs: {perSecond:0} sends/s; counters sent={counters.SentCount} pending={counters.PendingCount} status={counters.Status}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT broadcast-dispatch provider={database.Provider} recipients={created.Recipients} materialise_s={materialise.TotalSeconds:0.00} materialise_cpu_s={materialiseCpu.TotalSeconds:0.00} materialise_peak_mib={materialisePeak:0} sends_per_s={perSecond:0} sent={sent} gateway_calls={gateway.Calls} materialise_ok={materialise.TotalSeconds < 5} rate_ok={perSecond >= 500}"));
        return sent == count && gateway.Calls == count ? 0 : 1;
    }

    private static async Task<(Guid Tenant, Guid Workspace, Guid List)> SeedAsync(BenchDatabase database, int count)
    {
        var licence = new Licence { Name = "bench", CodePrefix = "BENCH" + Guid.NewGuid().ToString("N")[..6], CodeHash = [1] };
        var tenant = new Tenant { Name = "bench", LicenceId = licence.Id };
        var workspace = new Workspace { TenantId = tenant.Id, Name = "bench", ExternalSessionId = "bench", ConnectionStatus = ConnectionStatus.Connected };
        var list = new ContactList { TenantId = tenant.Id, WorkspaceId = workspace.Id, Name = "all" };
        var field = new CustomFieldDefinition { TenantId = tenant.Id, Key = "kota", Label = "Kota" };
        await using (var db = database.Activator.Create(SystemTenant.Instance))
        {
            db.Licences.Add(licence);
            db.Tenants.Add(tenant);
            db.Workspaces.Add(workspace);
            db.ContactLists.Add(list);
            db.CustomFields.Add(field);
            await db.Policies.Where(p => p.Tier == null).ExecuteDeleteAsync();
            db.Policies.Add(new PolicySettings
            {
                MinDelaySeconds = 0, MaxDelaySeconds = 0, BatchSize = 1_000_000, BatchRestSeconds = 0, DailyCapPerWorkspace = 1_000_000,
                SendWindowStart = new TimeOnly(0, 0), SendWindowEnd = new TimeOnly(0, 0),
            });
            await db.SaveChangesAsync();
        }
        // Raw prepared inserts (COPY on PostgreSQL), streamed: a million contacts would take EF's change tracker minutes.
        var watch = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        var ids = new Guid[count];
        IEnumerable<Contact> Contacts()
        {
            for (var i = 0; i < count; i++)
            {
                var contact = new Contact { TenantId = tenant.Id, WorkspaceId = workspace.Id, Name = $"Pelanggan {i}", Phone = $"+62812{i:D8}" };
                ids[i] = contact.Id;
                yield return contact;
            }
        }
        await using (var model = database.Activator.Create(SystemTenant.Instance))
        {
            await BulkSeed.InsertAsync(database, model.Model.FindEntityType(typeof(Contact))!, Contacts(), now);
            await BulkSeed.InsertAsync(database, model.Model.FindEntityType(typeof(ContactListMember))!,
                ids.Select(id => new ContactListMember { TenantId = tenant.Id, WorkspaceId = workspace.Id, ContactListId = list.Id, ContactId = id }), now);
            await BulkSeed.InsertAsync(database, model.Model.FindEntityType(typeof(ContactFieldValue))!,
                ids.Where((_, i) => i % 2 == 0).Select(id => new ContactFieldValue { TenantId = tenant.Id, WorkspaceId = workspace.Id, ContactId = id, FieldId = field.Id, Value = "Bandung" }), now);
        }
        await BulkSeed.AnalyzeAsInProductionAsync(database);
        Console.WriteLine($"seeded {count:N0} contacts in one list in {watch.Elapsed.TotalSeconds:0.0} s");
        return (tenant.Id, workspace.Id, list.Id);
    }

    private sealed class NullSink : IGatewayEventSink
    {
        public Task OnEventAsync(GatewayEvent evt, CancellationToken ct) => Task.CompletedTask;
    }

    /// <summary>Answers at once: the engine, not the gateway, is measured.</summary>
    private sealed class ZeroLatencyGateway : IWhatsAppGateway
    {
        public int Calls;

        public Task<string> SendTextAsync(GatewayTextMessage message, CancellationToken ct) =>
            Task.FromResult($"true_{message.To}@c.us_{Interlocked.Increment(ref Calls):X8}");

        public Task<IReadOnlyList<GatewayChatMessage>> GetChatMessagesAsync(string session, string chatId, int limit, bool? fromMe, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<GatewayChatMessage>>([]);

        public Task EnsureSessionAsync(GatewaySessionSetup setup, CancellationToken ct) => Task.CompletedTask;
        public Task<GatewaySessionInfo> GetSessionAsync(string session, CancellationToken ct) => throw new NotSupportedException();
        public Task StartSessionAsync(string session, CancellationToken ct) => Task.CompletedTask;
        public Task StopSessionAsync(string session, CancellationToken ct) => Task.CompletedTask;
        public Task RestartSessionAsync(string session, CancellationToken ct) => Task.CompletedTask;
        public Task LogoutSessionAsync(string session, CancellationToken ct) => Task.CompletedTask;
        public Task DeleteSessionAsync(string session, CancellationToken ct) => Task.CompletedTask;
        public Task<GatewayQrCode?> GetQrCodeAsync(string session, CancellationToken ct) => Task.FromResult<GatewayQrCode?>(null);
        public Task<string> SendMediaAsync(GatewayMediaMessage message, CancellationToken ct) => Task.FromResult(Guid.NewGuid().ToString("N"));
        public Task MarkChatReadAsync(string session, string chatId, CancellationToken ct) => Task.CompletedTask;
        // Every number is on WhatsApp: the dispatcher checks each before its first send (docs/adr/0013), at once here.
        public Task<GatewayNumberCheck> CheckNumberAsync(string session, string phone, CancellationToken ct) =>
            Task.FromResult(new GatewayNumberCheck(NumberRegistration.Registered, ChatIds.FromPhone(phone)));
        public Task<string?> GetPhoneForLidAsync(string session, string lid, CancellationToken ct) => Task.FromResult<string?>(null);
        public Task<GatewayDownloadedMedia> DownloadMediaAsync(string url, long maxBytes, CancellationToken ct) => throw new NotSupportedException();
    }
}
