using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Tests.ExternalApi;

public sealed record WebhookHit(int Status, string Body, string Signature, string Timestamp, string Event);

/// <summary>A small Kestrel receiver on loopback that fails its first N requests.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private WebApplication _app = null!;
    private int _failuresLeft;
    public ConcurrentQueue<WebhookHit> Received { get; } = new();
    public string Url { get; private set; } = "";

    /// <param name="host">The address to listen on; loopback unless a test needs another of the machine's addresses.</param>
    public static async Task<WebhookReceiver> StartAsync(int failFirst = 0, string host = "127.0.0.1")
    {
        var receiver = new WebhookReceiver { _failuresLeft = failFirst };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        receiver._app = builder.Build();
        receiver._app.Urls.Add($"http://{host}:0");
        receiver._app.MapPost("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var status = Interlocked.Decrement(ref receiver._failuresLeft) >= 0 ? 500 : 200;
            receiver.Received.Enqueue(new WebhookHit(status, body, context.Request.Headers["X-Kelola-Signature"].ToString(),
                context.Request.Headers["X-Kelola-Timestamp"].ToString(), context.Request.Headers["X-Kelola-Event"].ToString()));
            return Results.StatusCode(status);
        });
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address.TrimEnd('/') + "/hook";
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
