using System.Globalization;
using KelolaPesan.Bench.Live;

namespace KelolaPesan.Bench.Scenarios;

/// <summary>
/// What an open inbox costs the server: N inbox pages (50 chat rows rendered each) in real Chromium against the app
/// in this process; live managed heap after a forced full GC and working set, before and after, per circuit; the time
/// for one inbound message to reach every page; then every page closed and, after a wait, how much of the growth is
/// left.
/// </summary>
public sealed class CircuitsScenario : IScenario
{
    public string Name => "circuits";
    public string Description => "--circuits N --messages M --settle S: server memory per open inbox, fan-out of one message to all, memory after close [--provider]";

    public async Task<int> RunAsync(string[] args)
    {
        var count = Args.Int(args, "--circuits", 100);
        var perContext = Args.Int(args, "--pages-per-context", 10);
        var messages = Args.Int(args, "--messages", 5);
        var settle = TimeSpan.FromSeconds(Args.Int(args, "--settle", 60));

        await using var database = await BenchDatabase.CreateAsync(args);
        await using var app = await LiveApp.StartAsync(database);
        var world = await LiveWorld.SeedAsync(app.Services, workspaces: 3, agents: (count + perContext - 1) / perContext, chats: 50);
        Console.WriteLine($"circuits: {count} inbox pages ({perContext} per agent), {database.Describe()}; load {Stats.Load()}");
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };

        // 50 rows of 72 px rendered: Virtualize renders what the viewport shows plus 8 rows of overscan each side.
        var viewport = Args.Int(args, "--viewport-height", 3400);
        await using var browsers = await AgentPages.LaunchAsync();
        // Warm-up, one page opened and closed again: JIT, caches and pools belong to the baseline, not to a circuit.
        await browsers.OpenAsync(app.BaseUrl, world, 1, 1, viewport, _ => { });
        await browsers.CloseAllAsync();
        await WaitForAsync(() => app.Circuits.Open == 0, TimeSpan.FromSeconds(30));
        var before = LiveApp.Measure();
        var dumps = Args.String(args, "--gcdump");
        await GcDumpAsync(dumps, "before");
        Console.WriteLine($"  before: heap {Mb(before.HeapBytes)}, working set {Mb(before.WorkingSetBytes)}, circuits {app.Circuits.Open}");

        await browsers.OpenAsync(app.BaseUrl, world, count, perContext, viewport, Console.WriteLine);
        var rows = await browsers.RowCountsAsync();
        await WaitForAsync(() => app.Circuits.Open >= count, TimeSpan.FromSeconds(30));
        var open = LiveApp.Measure();
        await GcDumpAsync(dumps, "open");
        var circuits = app.Circuits.Open;
        var heapPer = (open.HeapBytes - before.HeapBytes) / (double)circuits / 1024;
        var wsPer = (open.WorkingSetBytes - before.WorkingSetBytes) / (double)circuits / 1024;
        Console.WriteLine($"  open:   heap {Mb(open.HeapBytes)}, working set {Mb(open.WorkingSetBytes)}, circuits {circuits}, chat rows per page {rows.Min()}-{rows.Max()}");
        Console.WriteLine($"  per circuit: managed heap {heapPer:0} KB, working set {wsPer:0} KB (targets 500 KB / 1,024 KB: {(heapPer < 500 ? "met" : "NOT met")} / {(wsPer < 1024 ? "met" : "NOT met")})");

        // One untimed message first: the ingest path's first run in this process (JIT) is not what a circuit costs.
        if (!await Webhooks.PostAsync(http, world.Shown, world.ShownCustomers[^1], AgentPages.MarkerPrefix + "9999 kak, halo"))
            throw new InvalidOperationException("The warm-up webhook was refused.");
        await browsers.WaitForMarkerAsync(AgentPages.MarkerPrefix + "9999", AgentPages.NowMs(), TimeSpan.FromSeconds(60));

        var all = new List<double>();
        var lastPage = new List<double>();
        var missed = 0;
        for (var m = 0; m < messages; m++)
        {
            var marker = AgentPages.MarkerPrefix + m.ToString(CultureInfo.InvariantCulture);
            var posted = AgentPages.NowMs();
            if (!await Webhooks.PostAsync(http, world.Shown, world.ShownCustomers[m % world.ShownCustomers.Count], $"{marker} kak, stok ada?"))
                throw new InvalidOperationException("The marked webhook was refused.");
            var delays = await browsers.WaitForMarkerAsync(marker, posted, TimeSpan.FromSeconds(30));
            var seen = delays.Where(d => d is not null).Select(d => d!.Value).ToList();
            missed += delays.Length - seen.Count;
            all.AddRange(seen);
            lastPage.Add(seen.Count > 0 ? seen.Max() : double.NaN);
            Console.WriteLine($"  message {m}: on all {seen.Count} pages within {lastPage[^1]:0} ms (median page {Stats.Percentile(seen, 50):0} ms)");
            await Task.Delay(1000);
        }
        var fanoutP95 = Stats.Percentile(lastPage, 95);
        Console.WriteLine($"  fan-out: last page p95 {fanoutP95:0} ms over {messages} messages; any page p95 {Stats.Percentile(all, 95):0} ms; {missed} missed (target all within 1 s: {(fanoutP95 < 1000 && missed == 0 ? "met" : "NOT met")})");

        var closedAt = DateTime.UtcNow;
        await browsers.CloseAllAsync();
        await WaitForAsync(() => app.Circuits.Open == 0, settle);
        var closedIn = DateTime.UtcNow - closedAt;
        if (closedAt + settle - DateTime.UtcNow is { Ticks: > 0 } rest)
            await Task.Delay(rest);
        var leftOpen = app.Circuits.Open;
        var after = LiveApp.Measure();
        var leak = (after.HeapBytes - before.HeapBytes) * 100.0 / Math.Max(1, open.HeapBytes - before.HeapBytes);
        var wsLeft = (after.WorkingSetBytes - before.WorkingSetBytes) * 100.0 / Math.Max(1, open.WorkingSetBytes - before.WorkingSetBytes);
        Console.WriteLine($"  after close + {settle.TotalSeconds:0} s: heap {Mb(after.HeapBytes)} ({leak:0.0}% of the growth left; target < 10%: {(leak < 10 ? "met" : "NOT met")}), " +
                          $"working set {Mb(after.WorkingSetBytes)} ({wsLeft:0}% left), circuits all closed {closedIn.TotalSeconds:0.0} s after the tabs, still open: {leftOpen}; load {Stats.Load()}");
        Console.WriteLine(FormattableString.Invariant(
            $"RESULT circuits circuits={circuits} kb_per_circuit={heapPer:0} fanout_p95_ms={fanoutP95:0} leak_pct={leak:0.0}"));
        return missed == 0 ? 0 : 1;
    }

    private static async Task WaitForAsync(Func<bool> done, TimeSpan patience)
    {
        var until = DateTime.UtcNow + patience;
        while (!done() && DateTime.UtcNow < until)
            await Task.Delay(100);
    }

    /// <summary>
    /// With <c>--gcdump DIR</c>: a heap snapshot of this process (<c>dotnet-gcdump</c> on the PATH, a .NET tool) for
    /// <c>dotnet-gcdump report</c>, to see by type what a circuit holds.
    /// </summary>
    private static async Task GcDumpAsync(string? folder, string name)
    {
        if (folder is null)
            return;
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, name + ".gcdump");
        using var tool = System.Diagnostics.Process.Start("dotnet-gcdump", ["collect", "-p", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), "-o", file]);
        await tool.WaitForExitAsync();
        Console.WriteLine($"  heap snapshot: {file}");
    }

    private static string Mb(long bytes) => $"{bytes / 1024.0 / 1024:0.0} MB";
}
