using System.Net;
using System.Net.Sockets;
using KelolaPesan.Tests.Broadcasts;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Tests.Infrastructure;

namespace KelolaPesan.Tests.Nodes;

/// <summary>
/// The reference setup of several nodes, made of real parts: two app processes (<c>dotnet KelolaPesan.Web.dll</c>, the
/// build of the same configuration as this test assembly) on two free loopback ports, one PostgreSQL database, one
/// redis-server of their own, one shared storage folder, and the WhatsApp gateway pointed at a fake WAHA on loopback.
/// Each node's webhooks come back to itself (<c>Gateway:PublicBaseUrl</c>). Dispose kills both.
/// </summary>
public sealed class TwoNodes : IAsyncDisposable
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(180);

    private TwoNodes(RedisServer redis, string storagePath, Node a, Node b)
    {
        Redis = redis;
        StoragePath = storagePath;
        A = a;
        B = b;
    }

    public RedisServer Redis { get; }

    /// <summary>The shared <c>Storage:Path</c> of both nodes.</summary>
    public string StoragePath { get; }

    public Node A { get; }
    public Node B { get; }
    public IReadOnlyList<Node> Both => [A, B];

    /// <summary>
    /// Starts both nodes over <paramref name="database"/> and waits until each answers <c>/health</c>.
    /// <paramref name="oneAfterTheOther"/>: B starts once A is healthy (a test that must tell the nodes apart in
    /// Quartz's cluster table); otherwise both start at the same moment, as a deployment's nodes do.
    /// </summary>
    public static async Task<TwoNodes> StartAsync(TestDatabase database, FakeWahaServer waha, IReadOnlyDictionary<string, string>? settings = null,
        bool oneAfterTheOther = false, Func<Node, Task>? afterEachStart = null)
    {
        var redis = await RedisServer.StartAsync();
        var storage = Path.Combine(database.Folder, "shared-storage");
        Directory.CreateDirectory(storage);
        Node? a = null, b = null;
        try
        {
            a = Node.Start("A", database, redis, waha, storage, settings);
            if (oneAfterTheOther)
            {
                await a.WaitUntilHealthyAsync(StartPatience);
                if (afterEachStart is not null)
                    await afterEachStart(a);
            }
            b = Node.Start("B", database, redis, waha, storage, settings);
            await Task.WhenAll(a.WaitUntilHealthyAsync(StartPatience), b.WaitUntilHealthyAsync(StartPatience));
            // A fresh process renders its first page slowly (JIT): once here, not inside a browser test's timeouts.
            await Task.WhenAll(a.WarmUpAsync(), b.WarmUpAsync());
            if (afterEachStart is not null)
                await afterEachStart(b);
            return new TwoNodes(redis, storage, a, b);
        }
        catch (Exception ex)
        {
            var message = $"The two nodes did not start: {ex.Message}\n{Describe(a, b)}";
            a?.Dispose();
            b?.Dispose();
            await redis.DisposeAsync();
            throw new Xunit.Sdk.XunitException(message);
        }
    }

    /// <summary>Runs a test's steps; a failure carries both nodes' last output lines (and the Redis server's).</summary>
    public async Task RunAsync(Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex.GetType().Name}: {ex.Message}\n{Describe(A, B)}\n--- redis-server ---\n{Redis.Output}", ex);
        }
    }

    /// <summary>Polls <paramref name="done"/> until true; fails (with both nodes' output) after <paramref name="patience"/>,
    /// or at once when a node that should be running has exited.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> done, string what, TimeSpan patience, TimeSpan? every = null)
    {
        var until = DateTime.UtcNow + patience;
        while (!await done())
        {
            if (Both.FirstOrDefault(n => n.HasExited && !n.Killed) is { } dead)
                throw new Xunit.Sdk.XunitException($"Node {dead.Name} exited while waiting for {what}.\n{Describe(A, B)}");
            if (DateTime.UtcNow > until)
                throw new Xunit.Sdk.XunitException($"Timed out after {patience.TotalSeconds:0} s waiting for {what}.\n{Describe(A, B)}");
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(100));
        }
    }

    public async ValueTask DisposeAsync()
    {
        A.Dispose();
        B.Dispose();
        await Redis.DisposeAsync();
    }

    private static string Describe(params Node?[] nodes) =>
        string.Join('\n', nodes.Where(n => n is not null).Select(n => $"--- node {n!.Name} ({n.BaseUrl}){(n.HasExited ? ", exited" : "")} ---\n{n.Output}"));

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One app process of <see cref="TwoNodes"/>.</summary>
public sealed class Node : IDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly WebAppProcess _process;

    private Node(string name, string baseUrl, WebAppProcess process)
    {
        Name = name;
        BaseUrl = baseUrl;
        _process = process;
    }

    public string Name { get; }

    /// <summary><c>http://127.0.0.1:&lt;port&gt;</c>, no trailing slash.</summary>
    public string BaseUrl { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The <c>X-Api-Key</c> this node sends to the fake WAHA.</summary>
    public string WahaKey => WahaKeyOf(Name);

    public static string WahaKeyOf(string name) => $"{FakeWahaServer.DefaultApiKey}-{name.ToLowerInvariant()}";

    /// <summary>True once the test killed it on purpose.</summary>
    public bool Killed { get; private set; }

    public string Output => _process.Output;

    internal static Node Start(string name, TestDatabase database, RedisServer redis, FakeWahaServer waha, string storage,
        IReadOnlyDictionary<string, string>? extra)
    {
        var baseUrl = $"http://127.0.0.1:{TwoNodes.FreePort()}";
        waha.AcceptApiKey(WahaKeyOf(name));
        var own = Path.Combine(database.Folder, "node-" + name.ToLowerInvariant());
        Directory.CreateDirectory(own);
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = baseUrl,
            ["Database:Provider"] = database.Provider.ToString(),
            ["ConnectionStrings:Kelola"] = database.ConnectionString,
            // Logs of its own; everything another node may need goes to the shared storage.
            ["Database:DataDirectory"] = own,
            ["Storage:Path"] = storage,
            ["Redis:Configuration"] = redis.Configuration,
            ["Demo:Disabled"] = "true",
            ["Gateway:Kind"] = "Waha",
            ["Gateway:PublicBaseUrl"] = baseUrl,
            ["Gateway:Waha:BaseUrl"] = waha.BaseAddress.ToString(),
            // A key of its own, so the fake WAHA's record says which node made each call.
            ["Gateway:Waha:ApiKey"] = WahaKeyOf(name),
            ["Gateway:Waha:MaxRetries"] = "0",
            // The nodes sit "behind a proxy" on loopback: a test may say which client a request comes from.
            ["ForwardedHeaders:Enabled"] = "true",
            ["Webhooks:Outgoing:AllowPrivateAddresses"] = "true",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            // "Now listening on ..." stays: a failure message shows how far a node got.
            ["Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime"] = "Information",
            // "Node warmed up in ..." stays too: a test reads it before "Now listening on".
            ["Serilog:MinimumLevel:Override:KelolaPesan.Web.NodeWarmUp"] = "Information",
            ["Serilog:MinimumLevel:Override:KelolaPesan.Web.NodeWarmUpServer"] = "Information",
            // Where an inbound message's time goes on the node that processes it (stage by stage, one line each).
            ["Serilog:MinimumLevel:Override:KelolaPesan.Core.Inbox.InboundMessageService"] = "Debug",
            ["Serilog:MinimumLevel:Override:KelolaPesan.Core.Webhooks.WhatsAppEventProcessor"] = "Debug",
            ["Serilog:MinimumLevel:Override:KelolaPesan.Web.Endpoints.WhatsAppWebhookEndpoints"] = "Debug",
            // Each request's time inside the node ("HTTP POST /webhooks/whatsapp responded 200 in ... ms"): a slow POST
            // is the node's or the way to it.
            ["Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware"] = "Information",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
            settings[key] = value;
        return new Node(name, baseUrl, WebAppProcess.Start(settings));
    }

    public async Task WaitUntilHealthyAsync(TimeSpan patience)
    {
        var until = DateTime.UtcNow + patience;
        while (true)
        {
            if (HasExited)
                throw new InvalidOperationException($"node {Name} exited during start-up");
            try
            {
                using var response = await Probe.GetAsync(BaseUrl + "/health");
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"node {Name} did not answer /health within {patience.TotalSeconds:0} s");
            await Task.Delay(200);
        }
    }

    /// <summary>Renders the sign-in page once.</summary>
    public async Task WarmUpAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var response = await client.GetAsync(BaseUrl + "/account/login");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, exactly what a crash or an out-of-memory kill leaves behind.</summary>
    public void Kill()
    {
        Killed = true;
        _process.Kill();
    }

    public void Dispose()
    {
        Killed = true;
        _process.Dispose();
    }
}
