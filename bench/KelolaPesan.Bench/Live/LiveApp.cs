using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Runtime;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Webhooks;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Bench.Live;

/// <summary>
/// The real app for the browser scenarios: the Web project's own composition (<c>AddWebServices</c>,
/// <c>UseWebPipeline</c>) on Kestrel on a loopback port, in this process and in Production, so that the bench can
/// force a garbage collection and read the managed heap of the very process that holds the circuits (nothing of the
/// kind is exposed by the app itself). A circuit counter is the only addition.
/// </summary>
public sealed class LiveApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LiveApp(WebApplication app, string baseUrl, CircuitCounter circuits)
    {
        _app = app;
        BaseUrl = baseUrl;
        Circuits = circuits;
    }

    public string BaseUrl { get; }
    public CircuitCounter Circuits { get; }
    public IServiceProvider Services => _app.Services;

    public static async Task<LiveApp> StartAsync(BenchDatabase database)
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
            ["Logging:LogLevel:Default"] = "Warning",
        });
        // Outside Development the static assets of packages (MudBlazor, blazor.web.js) come from a publish folder;
        // the bench runs from its build output, so it reads the build's manifest, as Development does.
        builder.WebHost.UseStaticWebAssets();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddWebServices();
        var circuits = new CircuitCounter();
        builder.Services.AddSingleton<CircuitHandler>(circuits);
        var app = builder.Build();
        await app.InitializeAsync();
        app.UseWebPipeline();
        await app.StartAsync();
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return new LiveApp(app, baseUrl, circuits);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>
    /// Live managed heap after a forced, compacting, blocking full collection (twice, with finalizers between), and the
    /// process's working set at that moment.
    /// </summary>
    public static MemorySample Measure()
    {
        for (var i = 0; i < 2; i++)
        {
            GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        using var process = Process.GetCurrentProcess();
        return new MemorySample(GC.GetTotalMemory(forceFullCollection: false), process.WorkingSet64, process.PrivateMemorySize64);
    }
}

public readonly record struct MemorySample(long HeapBytes, long WorkingSetBytes, long PrivateBytes);

/// <summary>Counts the open Blazor circuits (how many agent pages the server holds right now).</summary>
public sealed class CircuitCounter : CircuitHandler
{
    private int _open;
    public int Open => Volatile.Read(ref _open);

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _open);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Decrement(ref _open);
        return Task.CompletedTask;
    }
}

/// <summary>What the scenarios seed: one tenant with agents who see all of its workspaces, the first of which is shown.</summary>
public sealed record LiveWorld(string LicenceCode, IReadOnlyList<string> AgentNames, string Password, IReadOnlyList<LiveWorkspace> Workspaces, IReadOnlyList<string> ShownCustomers)
{
    public LiveWorkspace Shown => Workspaces[0];

    /// <summary>Webhook events stored but not processed yet (the ingest's queue).</summary>
    public static async Task<int> BacklogAsync(IServiceProvider services)
    {
        await using var db = services.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        return await db.InboundWebhookEvents.CountAsync(e => e.ProcessedAt == null);
    }

    /// <summary>
    /// Seeds <paramref name="workspaces"/> connected workspaces (names sort so that the first is the one every inbox
    /// shows), <paramref name="agents"/> agents assigned to all of them, and <paramref name="chats"/> chats with one
    /// message each in the shown workspace (what the agent sees on opening the inbox).
    /// </summary>
    public static async Task<LiveWorld> SeedAsync(IServiceProvider services, int workspaces, int agents, int chats)
    {
        const string password = "Bench-Agen-2026";
        var code = Core.Tenancy.LicenceCode.Generate();
        await using var scope = services.CreateAsyncScope();
        var protector = scope.ServiceProvider.GetRequiredService<ISecretProtector>();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        var now = DateTimeOffset.UtcNow;
        var licence = new Licence
        {
            Kind = LicenceKind.Tenant, Name = "Bench", CodePrefix = code.Prefix, CodeHash = code.Hash,
            MaxWorkspaces = workspaces, Features = LicenceFeatures.All, ExpiresAt = now.AddYears(1),
        };
        var tenant = new Tenant { Name = "Bench", LicenceId = licence.Id };
        db.Licences.Add(licence);
        db.Tenants.Add(tenant);
        var hash = PasswordHashing.Hash(password);
        var users = Enumerable.Range(0, agents).Select(i => new AppUser
        {
            TenantId = tenant.Id, Username = $"agen{i:D3}", DisplayName = $"Agen {i}", Role = UserRole.Agent, PasswordHash = hash,
        }).ToList();
        db.Users.AddRange(users);
        var list = new List<LiveWorkspace>();
        for (var w = 0; w < workspaces; w++)
        {
            var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var workspace = new Workspace
            {
                TenantId = tenant.Id, Name = w == 0 ? "A Toko" : $"W {w:D3}", ConnectionStatus = ConnectionStatus.Connected,
                PhoneNumber = $"+62811{w:D7}", ConnectedAt = now, StatusChangedAt = now,
                WebhookSecretEncrypted = protector.Protect(WorkspaceService.WebhookSecretPurpose, key),
            };
            workspace.ExternalSessionId = WorkspaceService.SessionNameFor(workspace.Id);
            db.Workspaces.Add(workspace);
            foreach (var user in users)
                db.WorkspaceMembers.Add(new WorkspaceMember { TenantId = tenant.Id, WorkspaceId = workspace.Id, UserId = user.Id });
            list.Add(new LiveWorkspace(workspace.Id, key));
        }
        var shown = list[0].Id;
        var customers = new List<string>();
        for (var c = 0; c < chats; c++)
        {
            var phone = $"62813{c:D8}";
            var at = now.AddMinutes(-chats + c);
            var chat = new Chat
            {
                TenantId = tenant.Id, WorkspaceId = shown, DisplayName = $"Pelanggan {c:D2}", PhoneNumber = "+" + phone,
                ExternalChatId = phone + "@c.us", LastMessagePreview = $"Halo kak, pesanan nomor {c}", LastMessageAt = at, LastInboundAt = at,
            };
            db.Chats.Add(chat);
            db.Messages.Add(new Message
            {
                TenantId = tenant.Id, WorkspaceId = shown, ChatId = chat.Id, ExternalMessageId = $"seed_{c}",
                Direction = MessageDirection.Inbound, Origin = MessageOrigin.Customer, SenderName = chat.DisplayName, SenderNumber = chat.PhoneNumber,
                Body = chat.LastMessagePreview, Status = MessageStatus.Read, SentAt = at,
            });
            customers.Add(phone);
        }
        await db.SaveChangesAsync();
        return new LiveWorld(code.Code, users.Select(u => u.Username).ToList(), password, list, customers);
    }
}

public sealed record LiveWorkspace(Guid Id, string Key);

/// <summary>Signed WAHA "message" webhooks, as the gateway sends them (every scenario that posts webhooks builds them here).</summary>
public static class Webhooks
{
    public static async Task<bool> PostAsync(HttpClient http, LiveWorkspace workspace, string from, string body, CancellationToken cancellationToken = default)
    {
        var id = Guid.NewGuid().ToString("N");
        using var request = Signed($"/webhooks/whatsapp?workspace={workspace.Id}", workspace.Key,
            Message($"false_{id}", "evt_" + id, from + "@c.us", body, "Pelanggan " + from[^4..]));
        using var response = await http.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode;
    }

    /// <summary>A customer's text message to the bench's own number, in WAHA's envelope.</summary>
    public static byte[] Message(string messageId, string eventId, string from, string body, string pushName, string session = "bench")
    {
        var payload = new JsonObject
        {
            ["id"] = messageId, ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["from"] = from, ["to"] = "6280000000001@c.us", ["fromMe"] = false,
            ["body"] = body, ["hasMedia"] = false, ["ack"] = 1,
            ["_data"] = new JsonObject { ["notifyName"] = pushName },
        };
        var envelope = new JsonObject
        {
            ["id"] = eventId, ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["event"] = "message", ["session"] = session, ["payload"] = payload,
        };
        return Encoding.UTF8.GetBytes(envelope.ToJsonString());
    }

    /// <summary>The POST of a body to a webhook path, signed with the workspace's key as the gateway signs it.</summary>
    public static HttpRequestMessage Signed(string path, string key, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add(WebhookSignature.HmacHeader, WebhookSignature.Compute(body, key));
        request.Headers.Add(WebhookSignature.AlgorithmHeader, WebhookSignature.Algorithm);
        return request;
    }
}
