using System.Collections.Concurrent;
using System.Globalization;
using KelolaPesan.Bench.Live;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Bench.Scenarios;

/// <summary>
/// Inbound message -> visible in every open inbox, under background traffic: the real app on Kestrel, N agent pages
/// in real Chromium on the same workspace, signed webhooks at a steady rate over many workspaces, and marked messages
/// posted one at a time into the shown workspace; each page's MutationObserver stamps when the marker enters its DOM.
/// </summary>
public sealed class LiveLatencyScenario : IScenario
{
    public string Name => "live-latency";
    public string Description => "--pages N --rate R --seconds S: webhook POST -> text in N open inboxes, under R signed webhooks/s over 100 workspaces [--provider]";

    public async Task<int> RunAsync(string[] args)
    {
        var pages = Args.Int(args, "--pages", 20);
        var rate = Args.Int(args, "--rate", 500);
        var seconds = Args.Int(args, "--seconds", 60);
        var workspaces = Args.Int(args, "--workspaces", 100);
        var perContext = Args.Int(args, "--pages-per-context", 5);
        var every = TimeSpan.FromMilliseconds(Args.Int(args, "--every-ms", 1000));

        await using var database = await BenchDatabase.CreateAsync(args);
        await using var app = await LiveApp.StartAsync(database);
        var world = await LiveWorld.SeedAsync(app.Services, workspaces, agents: (pages + perContext - 1) / perContext, chats: 50);
        Console.WriteLine($"live-latency: {pages} pages ({perContext} per agent), background {rate}/s over {workspaces} workspaces, {seconds} s, {database.Describe()}; load {Stats.Load()}");

        await using var browsers = await AgentPages.LaunchAsync();
        await browsers.OpenAsync(app.BaseUrl, world, pages, perContext, viewportHeight: 900, Console.WriteLine);
        Console.WriteLine($"  circuits open: {app.Circuits.Open}");

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(app.BaseUrl) };
        using var marks = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var marker = 0;
        var stages = await MarkerStages.StartAsync(app.Services, world);

        // Warm-up (JIT of the ingest and refresh paths, first queries): three markers, not counted.
        for (var i = 0; i < 3; i++)
            await InjectAsync(browsers, marks, world, marker++, stages);

        var traffic = new BackgroundTraffic(http, world.Workspaces, rate);
        using var stop = new CancellationTokenSource();
        var background = Task.Run(() => traffic.RunAsync(stop.Token));
        // Let the background reach its steady state before the first timed marker.
        await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, seconds / 4.0)));
        var okAtStart = traffic.Ok;
        var started = DateTime.UtcNow;
        var end = started + TimeSpan.FromSeconds(seconds);
        var delays = new List<double>();
        var missed = 0;
        var markers = 0;
        while (DateTime.UtcNow < end)
        {
            var next = DateTime.UtcNow + every;
            var result = await InjectAsync(browsers, marks, world, marker++, stages);
            markers++;
            delays.AddRange(result.Where(d => d is not null).Select(d => d!.Value));
            missed += result.Count(d => d is null);
            if (result.Any(d => d is null))
                Console.WriteLine($"  marker {marker - 1} missed on {result.Count(d => d is null)} pages; backlog {await LiveWorld.BacklogAsync(app.Services)}; first page top rows: " +
                                  await browsers.Pages[0].Page.EvaluateAsync<string>("() => [...document.querySelectorAll('[data-testid=chat-row]')].slice(0, 3).map(r => r.textContent).join(' | ')"));
            var rest = next - DateTime.UtcNow;
            if (rest > TimeSpan.Zero)
                await Task.Delay(rest);
        }
        var achieved = (traffic.Ok - okAtStart) / (DateTime.UtcNow - started).TotalSeconds;
        var loadDuring = Stats.Load();
        await stop.CancelAsync();
        await background;

        var (p50, p95, p99) = (Stats.Percentile(delays, 50), Stats.Percentile(delays, 95), Stats.Percentile(delays, 99));
        Console.WriteLine($"  {markers} markers x {pages} pages: {delays.Count} seen, {missed} not within 15 s; max {(delays.Count > 0 ? delays.Max() : 0):0} ms");
        Console.WriteLine(FormattableString.Invariant(
            $"  stages (ms after the POST): answered p50 {Stats.Percentile(stages.Answered, 50):0} p95 {Stats.Percentile(stages.Answered, 95):0}; published p50 {Stats.Percentile(stages.Published, 50):0} p95 {Stats.Percentile(stages.Published, 95):0}; published -> slowest page p50 {Stats.Percentile(stages.ToSlowestPage, 50):0} p95 {Stats.Percentile(stages.ToSlowestPage, 95):0}"));
        Console.WriteLine($"  background: {achieved:0} webhooks/s answered 2xx (asked {rate}/s), {traffic.Failed} failed; load at the end {loadDuring}");
        Console.WriteLine($"  target p95 < 300 ms at 500/s with 20 inboxes: {(p95 < 300 && achieved >= 475 && pages >= 20 && missed == 0 ? "met" : "NOT met")}");
        Console.WriteLine(FormattableString.Invariant(
            $"RESULT live-latency pages={pages} background_per_s={achieved:0} p50_ms={p50:0} p95_ms={p95:0} p99_ms={p99:0}"));
        await browsers.CloseAllAsync();
        return missed == 0 ? 0 : 1;
    }

    /// <summary>One marked message from a customer already in the shown list; each page's delay, null where missed.</summary>
    private static async Task<double?[]> InjectAsync(AgentPages browsers, HttpClient http, LiveWorld world, int n, MarkerStages stages)
    {
        var marker = AgentPages.MarkerPrefix + n.ToString(CultureInfo.InvariantCulture);
        var customer = world.ShownCustomers[n % world.ShownCustomers.Count];
        var posted = AgentPages.NowMs();
        if (!await Webhooks.PostAsync(http, world.Shown, customer, $"{marker} kak, jadi pesan dua"))
            throw new InvalidOperationException("The marked webhook was refused.");
        var answered = AgentPages.NowMs();
        var delays = await browsers.WaitForMarkerAsync(marker, posted, TimeSpan.FromSeconds(15));
        stages.Record(customer, posted, answered, delays);
        return delays;
    }

    /// <summary>
    /// Where a marker's time goes before the pages: when its POST was answered (verified and stored) and when the ingest
    /// published its <see cref="ChatMessageAdded"/> (after the commit), heard on the shown workspace's topic like a page.
    /// </summary>
    private sealed class MarkerStages
    {
        private readonly ConcurrentQueue<(Guid Chat, double At)> _heard = new();
        private IReadOnlyDictionary<string, Guid> _chats = new Dictionary<string, Guid>();

        public List<double> Answered { get; } = [];
        public List<double> Published { get; } = [];
        public List<double> ToSlowestPage { get; } = [];

        public static async Task<MarkerStages> StartAsync(IServiceProvider services, LiveWorld world)
        {
            var stages = new MarkerStages();
            await using (var db = services.GetRequiredService<IKelolaDbFactory>().CreateSystem())
            {
                var chats = await db.Chats.AsNoTracking().Where(c => c.WorkspaceId == world.Shown.Id).Select(c => new { c.Id, c.ExternalChatId }).ToListAsync();
                stages._chats = chats.ToDictionary(c => c.ExternalChatId.Replace("@c.us", ""), c => c.Id);
            }
            services.GetRequiredService<IRealtimeBus>().Subscribe(Topics.Workspace(world.Shown.Id), evt =>
            {
                if (evt is ChatMessageAdded added)
                    stages._heard.Enqueue((added.ChatId, AgentPages.NowMs()));
                return Task.CompletedTask;
            });
            return stages;
        }

        public void Record(string customer, double posted, double answered, double?[] delays)
        {
            Answered.Add(answered - posted);
            if (!_chats.TryGetValue(customer, out var chat))
                return;
            var heard = _heard.Where(h => h.Chat == chat && h.At >= posted).Select(h => h.At).DefaultIfEmpty(double.NaN).Min();
            if (double.IsNaN(heard))
                return;
            Published.Add(heard - posted);
            if (delays.All(d => d is not null))
                ToSlowestPage.Add(delays.Max()!.Value - (heard - posted));
        }
    }
}

public static class Args
{
    public static string? String(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public static int Int(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
