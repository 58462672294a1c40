using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using KelolaPesan.Bench.Live;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Webhooks;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Bench.Scenarios;

/// <summary>
/// The real app in this process on a loopback port: N signed "message" webhooks from C concurrent clients, timed
/// until every message is stored and visible in the inbox and every event is marked processed; then the same client against a minimal endpoint of
/// the same process that only inserts one row, as the floor.
/// </summary>
public sealed class WebhookIngestScenario : IScenario
{
    public string Name => "webhook-ingest";
    public string Description => "--events N --clients C [--workspaces W]: signed webhooks/s fully processed vs a one-row-insert floor [--provider Sqlite|Postgres]";

    public async Task<int> RunAsync(string[] args)
    {
        var events = IntArg(args, "--events", 5000);
        var clients = IntArg(args, "--clients", 8);
        // Traffic spread round robin over W workspaces (in W/5 tenants): every event's neighbour in the queue is another workspace's.
        var spread = Math.Max(1, IntArg(args, "--workspaces", 1));
        await using var database = await BenchDatabase.CreateAsync(args);
        try
        {
            await using var app = await StartAppAsync(database);
            var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var workspaces = await CreateWorkspacesAsync(app.Services, spread);
            var targets = workspaces.Select(w => ($"/webhooks/whatsapp?workspace={w.WorkspaceId}", w.Key)).ToList();
            var ids = workspaces.Select(w => w.WorkspaceId).ToList();
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = new Uri(baseUrl) };

            Console.WriteLine($"webhook-ingest: {events} events, {clients} clients, {spread} workspace(s), {database.Describe()}; load {KelolaPesan.Bench.Live.Stats.Load()}");
            // Warm-up (JIT, connection pool, first chat): not counted.
            await PostAllAsync(http, targets, 200, clients, "warm");
            await WaitForMessagesAsync(app.Services, ids, 200);

            var real = Stopwatch.StartNew();
            await PostAllAsync(http, targets, events, clients, "run");
            var answered = real.Elapsed;
            await WaitForMessagesAsync(app.Services, ids, 200 + events);
            real.Stop();
            var realRate = events / real.Elapsed.TotalSeconds;
            Console.WriteLine($"real path: all {events} answered in {answered.TotalSeconds:0.00} s ({events / answered.TotalSeconds:0} req/s), " +
                              $"all processed in {real.Elapsed.TotalSeconds:0.00} s = {realRate:0} events/s");

            List<(string, string)> floorTarget = [("/bench/floor", workspaces[0].Key)];
            await PostAllAsync(http, floorTarget, 200, clients, "floorwarm");
            var floor = Stopwatch.StartNew();
            await PostAllAsync(http, floorTarget, events, clients, "floor");
            floor.Stop();
            var floorRate = events / floor.Elapsed.TotalSeconds;
            Console.WriteLine($"floor (one-row insert per request): {floor.Elapsed.TotalSeconds:0.00} s = {floorRate:0} events/s");

            var ratio = realRate / floorRate;
            Console.WriteLine($"ratio real/floor = {ratio:0.00}; targets: >= 1000 events/s ({(realRate >= 1000 ? "met" : "NOT met")}), >= 0.5 of floor ({(ratio >= 0.5 ? "met" : "NOT met")})");
            Console.WriteLine(FormattableString.Invariant($"RESULT webhook-ingest provider={database.Provider} events={events} clients={clients} workspaces={spread} processed_per_s={realRate:0} floor_per_s={floorRate:0} ratio={ratio:0.00}"));
            await app.StopAsync();
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }

    internal static async Task<WebApplication> StartAppAsync(BenchDatabase database)
    {
        var webProject = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../KelolaPesan.Web"));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "KelolaPesan.Web",
            EnvironmentName = "Production",
            ContentRootPath = Directory.Exists(webProject) ? webProject : AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(database.AppSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Kind"] = "Simulator",
            ["Gateway:PublicBaseUrl"] = "http://127.0.0.1",
            ["Gateway:MonitorIntervalSeconds"] = "0",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Serilog:MinimumLevel:Override:Microsoft"] = "Warning",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddWebServices();
        if (database.Statements is { } statements)
            builder.Services.AddSingleton<IInterceptor>(statements);
        var app = builder.Build();
        await app.InitializeAsync();
        app.UseWebPipeline();
        // The floor: the same kind of request, doing nothing but insert one row.
        app.MapPost("/bench/floor", async (HttpRequest request, IKelolaDbFactory dbFactory) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            await using var db = dbFactory.CreateSystem();
            db.InboundWebhookEvents.Add(new InboundWebhookEvent
            {
                Source = WebhookSource.Instagram, EventKey = Guid.NewGuid().ToString("N"), EventType = "floor",
                Payload = Encoding.UTF8.GetString(buffer.ToArray()), ReceivedAt = DateTimeOffset.UtcNow, ProcessedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
            return Results.Ok();
        }).AllowAnonymous().DisableAntiforgery();
        await app.StartAsync();
        return app;
    }

    /// <summary>W workspaces, five to a tenant, each with its own webhook secret.</summary>
    private static async Task<List<(Guid WorkspaceId, string Key)>> CreateWorkspacesAsync(IServiceProvider services, int count)
    {
        await using var scope = services.CreateAsyncScope();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        var protector = scope.ServiceProvider.GetRequiredService<ISecretProtector>();
        var result = new List<(Guid, string)>();
        Tenant? tenant = null;
        for (var i = 0; i < count; i++)
        {
            if (i % 5 == 0)
            {
                // A licence per tenant (one tenant per licence).
                var licence = new Licence { Name = $"Bench {i / 5}", CodePrefix = $"B{i / 5}X" + Random.Shared.Next(1000, 9999), CodeHash = [1], MaxWorkspaces = 5 };
                db.Licences.Add(licence);
                db.Tenants.Add(tenant = new Tenant { Name = $"Bench {i / 5}", LicenceId = licence.Id });
            }
            var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var workspace = new Workspace
            {
                TenantId = tenant!.Id, Name = $"Bench {i}", ConnectionStatus = ConnectionStatus.Connected,
                WebhookSecretEncrypted = protector.Protect(WorkspaceService.WebhookSecretPurpose, key),
            };
            workspace.ExternalSessionId = WorkspaceService.SessionNameFor(workspace.Id);
            db.Workspaces.Add(workspace);
            result.Add((workspace.Id, key));
        }
        await db.SaveChangesAsync();
        return result;
    }

    /// <summary>Each client posts its share in turn, event i to target i mod W; 50 customers, so chats are both created and updated.</summary>
    private static async Task PostAllAsync(HttpClient http, IReadOnlyList<(string Path, string Key)> targets, int count, int clients, string tag)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var (path, key) = targets[i % targets.Count];
                using var request = Webhooks.Signed(path, key,
                    Webhooks.Message($"false_{tag}_{i}", $"evt_{tag}_{i}_{Guid.NewGuid():N}", $"628123{i % 50:D6}1@c.us", $"Halo kak, pesan nomor {i}", $"Pelanggan {i % 50}"));
                using var response = await http.SendAsync(request);
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}");
            }
        }));
    }

    private static async Task WaitForMessagesAsync(IServiceProvider services, IReadOnlyList<Guid> workspaceIds, int expected)
    {
        var until = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            await using (var scope = services.CreateAsyncScope())
            await using (var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem())
            {
                // Fully processed: the events are marked (a sweep would apply them again) and their messages are in the inbox.
                // The unprocessed look-up (an index seek) goes first: counting the messages reads an index entry per
                // message, at 100,000s of them every 20 ms CPU taken beside the processor while it finishes.
                if (!await db.InboundWebhookEvents.AnyAsync(e => e.Source == WebhookSource.WhatsApp && e.ProcessedAt == null)
                    && await db.Messages.CountAsync(m => workspaceIds.Contains(m.WorkspaceId)) >= expected)
                    return;
            }
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"Fewer than {expected} messages after 5 minutes.");
            await Task.Delay(20);
        }
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
