using System.Diagnostics;
using System.Net;
using KelolaPesan.Core.Gateways;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KelolaPesan.Web;

/// <summary>
/// The server (Kestrel) with one step before it listens, when the node warms up (<see cref="NodeWarmUp"/>): a webhook
/// POST sent in-process through the app's own request pipeline (forwarded headers, request log, routing, the endpoint's
/// binding, body read, signature check and answer). The hosted warm-up cannot do that: the pipeline is built only when
/// the server starts, after it. Measured (issue 18): a node's first webhook POST took 0.3-1 s although the message path
/// was warm. The request names <see cref="NodeWarmUp.NoWorkspace"/>, so it is refused (401) and stores nothing.
/// </summary>
public sealed class NodeWarmUpServer(IServer inner, ILogger<NodeWarmUpServer> logger) : IServer
{
    /// <summary>The status the warm-up request was answered with (401 expected), or null before it ran or when it threw.</summary>
    public int? AnsweredWith { get; private set; }

    public IFeatureCollection Features => inner.Features;

    public async Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull
    {
        try
        {
            var clock = Stopwatch.StartNew();
            AnsweredWith = await SendAsync(application);
            logger.LogInformation("Warm-up: a webhook POST through the pipeline answered {Status} in {Milliseconds:0} ms", AnsweredWith, clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Warm-up request failed; the first webhook pays for it");
        }
        await inner.StartAsync(application, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => inner.StopAsync(cancellationToken);

    public void Dispose() => inner.Dispose();

    /// <summary>A request as Kestrel hands one to the application: the features the pipeline reads, a body, a loopback client.</summary>
    private static async Task<int> SendAsync<TContext>(IHttpApplication<TContext> application) where TContext : notnull
    {
        var body = System.Text.Encoding.UTF8.GetBytes(
            $$$"""{"id":"evt_warm_up","timestamp":{{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}},"event":"message","session":"kelola-warm-up","payload":{"id":"warm-up","from":"6280000000000@c.us","fromMe":false,"body":"Pemanasan"}}""");
        var headers = new HeaderDictionary
        {
            ["Host"] = "localhost",
            ["Content-Type"] = "application/json",
            ["Content-Length"] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [WebhookSignature.HmacHeader] = WebhookSignature.Compute(body, "warm-up"),
            [WebhookSignature.AlgorithmHeader] = WebhookSignature.Algorithm,
        };
        var response = new HttpResponseFeature();
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = "HTTP/1.1", Method = HttpMethods.Post, Scheme = "http", PathBase = "", Path = "/webhooks/whatsapp",
            QueryString = $"?workspace={NodeWarmUp.NoWorkspace}", RawTarget = $"/webhooks/whatsapp?workspace={NodeWarmUp.NoWorkspace}",
            Headers = headers, Body = new MemoryStream(body),
        });
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = "warm-up", RemoteIpAddress = IPAddress.Loopback, LocalIpAddress = IPAddress.Loopback, RemotePort = 1, LocalPort = 1,
        });
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature());
        var context = application.CreateContext(features);
        try
        {
            await application.ProcessRequestAsync(context);
        }
        catch (Exception ex)
        {
            application.DisposeContext(context, ex);
            throw;
        }
        application.DisposeContext(context, null);
        return response.StatusCode;
    }

    /// <summary>Puts this server around the one registered (Kestrel); nothing when none is.</summary>
    public static void Register(IServiceCollection services)
    {
        if (services.LastOrDefault(d => d.ServiceType == typeof(IServer)) is not { } registered)
            return;
        services.Replace(ServiceDescriptor.Singleton<IServer>(sp => new NodeWarmUpServer(Create(sp, registered), sp.GetRequiredService<ILogger<NodeWarmUpServer>>())));
    }

    private static IServer Create(IServiceProvider services, ServiceDescriptor registered) =>
        (IServer)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, registered.ImplementationType!));
}
