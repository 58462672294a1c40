using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using KelolaPesan.Web.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Quartz.Diagnostics;

namespace KelolaPesan.Bench.Scenarios;

/// <summary>
/// Many paced queues on one node: W workspaces in W/5 tenants, each with one broadcast paced at a fixed random 5-15 s
/// (min = max delay, so every planned send time is known), run by the app as it runs (real host, Quartz on its
/// persistent store, <see cref="BroadcastDispatchJob"/>, the simulator gateway in process with its delivery/read acks),
/// while signed inbound webhooks arrive at a steady rate spread over the workspaces. A first phase with the inbound
/// traffic alone is the baseline the scheduling cost is measured against.
/// Pacing error: each send's time (the stored <c>SentAt</c>, the dispatcher's clock at the step that sent it) minus the
/// planned time (the previous send's <c>SentAt</c> + the pacing, or the broadcast's <c>ScheduledAt</c> for the first).
/// </summary>
public sealed partial class TenantDensityScenario : IScenario
{
    private const int WorkspacesPerTenant = 5;

    public string Name => "tenant-density";
    public string Description => "--workspaces N --seconds S --inbound R [--baseline-seconds B] [--lead-seconds L] [--provider Sqlite|Postgres] [--no-acks]: paced broadcasts in every workspace + inbound webhooks (targets: pacing error p95 < 1 s, scheduling < 25% of a core, max gap < 2x pacing)";

    public async Task<int> RunAsync(string[] args)
    {
        var workspaceCount = IntArg(args, "--workspaces", 1000);
        var seconds = IntArg(args, "--seconds", 300);
        var inboundRate = IntArg(args, "--inbound", 200);
        var baselineSeconds = IntArg(args, "--baseline-seconds", 30);
        var tenantCount = Math.Max(1, workspaceCount / WorkspacesPerTenant);
        await using var database = await BenchDatabase.CreateAsync(args);
        Console.WriteLine($"tenant-density: {workspaceCount} workspaces in {tenantCount} tenants, {seconds} s paced sends after {baselineSeconds} s of inbound alone, " +
                          $"{inboundRate} inbound events/s; {database.Describe()}");

        var seeded = await SeedAsync(database, tenantCount, workspaceCount, seconds);
        // The broadcasts start (Scheduled -> Running, the dispatcher's own path) after the app is up and the baseline has
        // run, staggered over their first pacing. The app's start-up wakes every queue with a scheduled broadcast (as after
        // a restart); that run finds it not yet due and wakes the queue again at its time.
        var firstAt = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(IntArg(args, "--lead-seconds", 60) + baselineSeconds);
        var workspaces = seeded.Select(w => w with { ScheduledAt = firstAt + (w.ScheduledAt - DateTimeOffset.UnixEpoch) }).ToList();
        await using (var db = database.Activator.Create(SystemTenant.Instance))
        {
            var at = workspaces.ToDictionary(w => w.BroadcastId, w => w.ScheduledAt);
            foreach (var broadcast in await db.Broadcasts.ToListAsync())
                broadcast.ScheduledAt = at[broadcast.Id];
            await db.SaveChangesAsync();
        }
        try
        {
            using var counters = new StatementCounter(database.Provider == DatabaseProvider.Postgres);
            await using var app = await WebhookIngestScenario.StartAppAsync(database);
            // Without the echo and acks of each send: the sending path's own cost, apart from the webhooks a send brings back.
            app.Services.GetRequiredService<SimulatorGateway>().AcknowledgesSends = !args.Contains("--no-acks");
            if (args.Contains("--no-acks"))
                Console.WriteLine("--no-acks: the simulator neither echoes nor acks the sends (the sending path alone)");
            var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            var fires = new FireCounter();
            scheduler.ListenerManager.AddJobListener(fires, GroupMatcher<JobKey>.GroupEquals(BroadcastDispatchJob.Group));
            var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 32 }) { BaseAddress = new Uri(baseUrl) };

            // The secrets were stored before the app existed; protect them with the app's own keys now (not timed).
            await ProtectSecretsAsync(app.Services, workspaces);
            Console.WriteLine($"app up, {fires.Fires} start-up runs so far; broadcasts start in {(firstAt - DateTimeOffset.UtcNow).TotalSeconds:0} s");
            if (DateTimeOffset.UtcNow > firstAt - TimeSpan.FromSeconds(baselineSeconds))
                Console.WriteLine("WARNING: the app came up after the baseline should have begun (--lead-seconds more); the baseline is short or empty");

            using var stop = new CancellationTokenSource();
            var inbound = new InboundLoad(http, workspaces, inboundRate);
            var inboundTask = inbound.RunAsync(stop.Token);

            // Baseline: inbound alone, ending where the first queues' runs start (their wake's lead before the first
            // broadcasts are due, docs/adr/0034; the tail of the warm-up is measured).
            var baselineEnd = firstAt - BroadcastDispatchJob.WakeLead;
            await DelayUntil(baselineEnd - TimeSpan.FromSeconds(baselineSeconds));
            var a = Sample.Take(counters, fires, inbound);
            await DelayUntil(baselineEnd);
            var b = Sample.Take(counters, fires, inbound);
            fires.LatenessFrom = b.At;
            var endAt = firstAt + TimeSpan.FromSeconds(seconds);
            var lastReport = DateTimeOffset.UtcNow;
            while (DateTimeOffset.UtcNow < endAt)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, Math.Max(0.1, (endAt - DateTimeOffset.UtcNow).TotalSeconds))));
                var now = Sample.Take(counters, fires, inbound);
                Console.WriteLine($"  t+{(DateTimeOffset.UtcNow - firstAt).TotalSeconds:0} s: {fires.Fires} fires, {fires.Failed} failed runs, inbound {inbound.Posted} posted ({inbound.Failed} failed); " +
                                  $"cpu {(now.Cpu - b.Cpu).TotalSeconds:0.0} s");
            }
            var c = Sample.Take(counters, fires, inbound);
            stop.Cancel();
            await inboundTask;
            var measured = c.At - b.At;
            var baseline = b.At - a.At;
            await app.StopAsync();

            var report = await MeasureAsync(database, workspaces, firstAt, endAt, fires.ByWorkspace());
            var sends = report.SendsInWindow;
            // Over the window the sends are counted in; the CPU is measured from the first runs' start, a lead earlier.
            var sendRate = sends / (endAt - firstAt).TotalSeconds;
            var plannedRate = workspaces.Sum(w => 1.0 / w.Pacing);
            var cpuBaseline = (b.Cpu - a.Cpu).TotalSeconds / baseline.TotalSeconds;
            var cpuMeasured = (c.Cpu - b.Cpu).TotalSeconds / measured.TotalSeconds;
            var schedulerCorePct = Math.Max(0, cpuMeasured - cpuBaseline) * 100;
            var fireRate = (c.Fires - b.Fires) / measured.TotalSeconds;
            var dispatchStatements = c.DispatchStatements - b.DispatchStatements;
            var statementsPerSend = sends == 0 ? 0 : dispatchStatements / (double)sends;
            var otherStatements = (c.AllStatements - b.AllStatements) - (c.EfStatements - b.EfStatements);
            var inboundRateAchieved = (c.Inbound - b.Inbound) / measured.TotalSeconds;

            Console.WriteLine($"load: {Uptime()}; the baseline ({baseline.TotalSeconds:0} s) saw {b.Fires - a.Fires} dispatch fires (start-up runs; 0 is a clean baseline)");
            Console.WriteLine($"sends: {sends:N0} in {(endAt - firstAt).TotalSeconds:0} s = {sendRate:0.0}/s; sum of the pacings {plannedRate:0.0}/s ({sendRate / plannedRate:P0}); " +
                              $"{report.Uncertain} uncertain, {report.Failed} failed, {report.NeverSent} workspaces never sent");
            Console.WriteLine($"pacing error (send - planned): p50 {report.ErrorP50:0} ms, p95 {report.ErrorP95:0} ms, p99 {report.ErrorP99:0} ms, max {report.ErrorMax:0} ms; " +
                              $"first sends p95 {report.FirstErrorP95:0} ms");
            // Where the tail is: a send that opens a run (Quartz fired the queue's job since its previous send) or one the
            // run held for in memory (docs/adr/0030).
            Console.WriteLine($"  sends opening a run: {report.RunFirst.Count:N0}, p95 {report.RunFirst.P95:0} ms, p99 {report.RunFirst.P99:0} ms; " +
                              $"sends within a run: {report.WithinRun.Count:N0}, p95 {report.WithinRun.P95:0} ms, p99 {report.WithinRun.P99:0} ms; " +
                              $"runs in the window started after their trigger's time by p95 {fires.Lateness().P95:0} ms, p99 {fires.Lateness().P99:0} ms");
            Console.WriteLine($"max gap ratio (gap / pacing, incl. the end of the window) {report.MaxGapRatio:0.00}; workspaces over 2x: {report.OverTwice}");
            Console.WriteLine($"scheduler: {fireRate:0.0} dispatch fires/s ({(c.Fires - b.Fires):N0}), {fires.Failed} failed runs; app CPU {cpuMeasured * 60:0.0} s/min with the broadcasts, " +
                              $"{cpuBaseline * 60:0.0} s/min inbound alone -> scheduling {schedulerCorePct:0.0}% of one core");
            Console.WriteLine($"inbound: {inboundRateAchieved:0.0} events/s posted during the window ({inbound.Failed} failed, p95 answer {inbound.P95Ms():0} ms)");
            Console.WriteLine($"statements: {statementsPerSend:0.0} EF statements per send inside the dispatch jobs ({dispatchStatements:N0})" +
                              (counters.CountsAll ? $"; {(otherStatements / (double)Math.Max(1, c.Fires - b.Fires)):0.0} Quartz store statements per fire ({otherStatements:N0}, all non-EF commands)" : "; Quartz store statements not counted on SQLite (its own file, plain ADO.NET)"));
            var ok = report.ErrorP95 < 1000 && schedulerCorePct < 25 && report.MaxGapRatio < 2;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT tenant-density provider={database.Provider} workspaces={workspaceCount} seconds={seconds} sends_per_s={sendRate:0.0} planned_per_s={plannedRate:0.0} " +
                $"pacing_error_p50_ms={report.ErrorP50:0} pacing_error_p95_ms={report.ErrorP95:0} pacing_error_max_ms={report.ErrorMax:0} max_gap_ratio={report.MaxGapRatio:0.00} " +
                $"scheduler_fires_per_s={fireRate:0.0} app_cpu_s_per_min={cpuMeasured * 60:0.0} scheduler_core_pct={schedulerCorePct:0.0} statements_per_send={statementsPerSend:0.0} " +
                $"inbound_per_s={inboundRateAchieved:0.0} ok={(ok ? 1 : 0)}"));
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }

    private static async Task DelayUntil(DateTimeOffset at)
    {
        var wait = at - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait);
    }

    private static string Uptime()
    {
        try { return File.ReadAllText("/proc/loadavg").Trim(); }
        catch (IOException) { return "n/a"; }
    }

    public sealed record BenchWorkspace(Guid TenantId, Guid Id, Guid BroadcastId, int Pacing, DateTimeOffset ScheduledAt, string Key);

    /// <summary>
    /// Tenants, workspaces (connected, so the simulator pairs them at start) and one Scheduled broadcast each, an hour
    /// ahead; <see cref="BenchWorkspace.ScheduledAt"/> carries only the stagger offset from the Unix epoch until the run sets the start.
    /// </summary>
    private static async Task<List<BenchWorkspace>> SeedAsync(BenchDatabase database, int tenantCount, int workspaceCount, int seconds)
    {
        var watch = Stopwatch.StartNew();
        var random = new Random(20261204);
        var result = new List<BenchWorkspace>(workspaceCount);
        // Enough recipients that no queue runs dry in the window (one send per 5 s at the fastest, plus slack).
        var perBroadcast = seconds / 5 + 10;
        await using (var db = database.Activator.Create(SystemTenant.Instance))
        {
            // Sends all day, no platform cap in the way: pacing is what is measured.
            await db.Policies.Where(p => p.Tier == null).ExecuteDeleteAsync();
            db.Policies.Add(new PolicySettings
            {
                MinDelaySeconds = 5, MaxDelaySeconds = 15, BatchSize = 1_000_000, BatchRestSeconds = 0, DailyCapPerWorkspace = 1_000_000,
                SendWindowStart = new TimeOnly(0, 0), SendWindowEnd = new TimeOnly(0, 0),
            });
            await db.SaveChangesAsync();
        }
        var recipients = new List<BroadcastRecipient>(workspaceCount * perBroadcast);
        for (var t = 0; t < tenantCount; t++)
        {
            await using var db = database.Activator.Create(SystemTenant.Instance);
            var licence = new Licence { Name = $"bench {t}", CodePrefix = $"DENS{t:D5}", CodeHash = [1], MaxWorkspaces = WorkspacesPerTenant };
            var tenant = new Tenant { Name = $"Tenant {t}", LicenceId = licence.Id };
            db.Licences.Add(licence);
            db.Tenants.Add(tenant);
            for (var w = 0; w < workspaceCount / tenantCount + (t < workspaceCount % tenantCount ? 1 : 0); w++)
            {
                var index = result.Count;
                var workspace = new Workspace
                {
                    TenantId = tenant.Id, Name = $"Nomor {index}", ConnectionStatus = ConnectionStatus.Connected,
                    PhoneNumber = $"+6281{index:D8}1", ConnectedAt = DateTimeOffset.UtcNow,
                };
                workspace.ExternalSessionId = WorkspaceService.SessionNameFor(workspace.Id);
                var pacing = random.Next(5, 16);
                var offset = TimeSpan.FromMilliseconds(random.Next(0, pacing * 1000));
                var scheduledAt = DateTimeOffset.UtcNow.AddHours(1);
                var broadcast = new Broadcast
                {
                    TenantId = tenant.Id, WorkspaceId = workspace.Id, Name = $"Promo {index}", MessageTemplate = "Halo {name}, promo minggu ini!",
                    Status = BroadcastStatus.Scheduled, ScheduledAt = scheduledAt, MinDelaySeconds = pacing, MaxDelaySeconds = pacing,
                    BatchSize = 1_000_000, BatchRestSeconds = 0, DailyCap = 1_000_000, TotalRecipients = perBroadcast, PendingCount = perBroadcast,
                };
                db.Workspaces.Add(workspace);
                db.Broadcasts.Add(broadcast);
                for (var r = 0; r < perBroadcast; r++)
                    recipients.Add(new BroadcastRecipient
                    {
                        TenantId = tenant.Id, WorkspaceId = workspace.Id, BroadcastId = broadcast.Id, Phone = $"+6285{index:D6}{r:D4}1",
                        Name = $"Pelanggan {r}", RenderedText = $"Halo Pelanggan {r}, promo minggu ini!", IdempotencyKey = $"{broadcast.Id:N}:{r}", Sequence = r,
                    });
                result.Add(new BenchWorkspace(tenant.Id, workspace.Id, broadcast.Id, pacing, DateTimeOffset.UnixEpoch + offset, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))));
            }
            await db.SaveChangesAsync();
        }
        await using (var model = database.Activator.Create(SystemTenant.Instance))
            await BulkSeed.InsertAsync(database, model.Model.FindEntityType(typeof(BroadcastRecipient))!, recipients, DateTimeOffset.UtcNow);
        await BulkSeed.AnalyzeAsInProductionAsync(database);
        Console.WriteLine($"seeded {tenantCount} tenants, {workspaceCount} workspaces, {recipients.Count:N0} recipients in {watch.Elapsed.TotalSeconds:0.0} s; " +
                          $"pacings 5-15 s, sum of the pacings {result.Sum(w => 1.0 / w.Pacing):0.0} sends/s");
        return result;
    }

    private static async Task ProtectSecretsAsync(IServiceProvider services, List<BenchWorkspace> workspaces)
    {
        var protector = services.GetRequiredService<ISecretProtector>();
        await using var scope = services.CreateAsyncScope();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        foreach (var chunk in workspaces.Chunk(200))
        {
            var ids = chunk.Select(w => w.Id).ToList();
            var rows = await db.Workspaces.Where(w => ids.Contains(w.Id)).ToListAsync();
            foreach (var row in rows)
                row.WebhookSecretEncrypted = protector.Protect(WorkspaceService.WebhookSecretPurpose, chunk.First(w => w.Id == row.Id).Key);
            await db.SaveChangesAsync();
        }
    }

    private sealed record Report(int SendsInWindow, double ErrorP50, double ErrorP95, double ErrorP99, double ErrorMax, double FirstErrorP95,
        double MaxGapRatio, int OverTwice, int NeverSent, int Uncertain, int Failed, ErrorShare RunFirst, ErrorShare WithinRun);

    private sealed record ErrorShare(int Count, double P95, double P99)
    {
        public static ErrorShare Of(List<double> errors)
        {
            errors.Sort();
            return new ErrorShare(errors.Count, Percentile(errors, 0.95), Percentile(errors, 0.99));
        }
    }

    /// <summary>From what the dispatcher stored: every recipient's SentAt, per workspace in send order.</summary>
    private static async Task<Report> MeasureAsync(BenchDatabase database, List<BenchWorkspace> workspaces, DateTimeOffset from, DateTimeOffset to,
        IReadOnlyDictionary<Guid, List<DateTimeOffset>> fires)
    {
        await using var db = database.Activator.Create(SystemTenant.Instance);
        var sent = await db.BroadcastRecipients.AsNoTracking().Where(r => r.SentAt != null)
            .Select(r => new { r.BroadcastId, SentAt = r.SentAt!.Value }).ToListAsync();
        var uncertain = await db.BroadcastRecipients.CountAsync(r => r.Status == RecipientStatus.Uncertain);
        var failed = await db.BroadcastRecipients.CountAsync(r => r.Status == RecipientStatus.Failed);
        var byBroadcast = sent.GroupBy(s => s.BroadcastId).ToDictionary(g => g.Key, g => g.Select(x => x.SentAt).Order().ToList());
        var errors = new List<double>();
        var firstErrors = new List<double>();
        List<double> runFirst = [], withinRun = [];
        double maxRatio = 0;
        int overTwice = 0, never = 0, inWindow = 0;
        foreach (var w in workspaces)
        {
            var times = byBroadcast.GetValueOrDefault(w.BroadcastId) ?? [];
            if (times.Count == 0)
                never++;
            var planned = w.ScheduledAt;
            var worst = 0.0;
            var previous = w.ScheduledAt;
            for (var k = 0; k < times.Count; k++)
            {
                var at = times[k];
                if (at <= to)
                {
                    (k == 0 ? firstErrors : errors).Add((at - planned).TotalMilliseconds);
                    if (k > 0)
                    {
                        var opened = fires.GetValueOrDefault(w.Id)?.Any(f => f > previous && f <= at) == true;
                        (opened ? runFirst : withinRun).Add((at - planned).TotalMilliseconds);
                    }
                    worst = Math.Max(worst, (at - previous).TotalSeconds / w.Pacing);
                    inWindow += at >= from ? 1 : 0;
                }
                previous = at;
                planned = at + TimeSpan.FromSeconds(w.Pacing);
            }
            // A queue that stopped sending before the end starved there: the open gap counts too.
            if (previous < to)
                worst = Math.Max(worst, (to - previous).TotalSeconds / w.Pacing);
            maxRatio = Math.Max(maxRatio, worst);
            overTwice += worst >= 2 ? 1 : 0;
        }
        errors.Sort();
        firstErrors.Sort();
        return new Report(inWindow, Percentile(errors, 0.5), Percentile(errors, 0.95), Percentile(errors, 0.99), errors.Count == 0 ? 0 : errors[^1],
            Percentile(firstErrors, 0.95), maxRatio, overTwice, never, uncertain, failed, ErrorShare.Of(runFirst), ErrorShare.Of(withinRun));
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))];

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
