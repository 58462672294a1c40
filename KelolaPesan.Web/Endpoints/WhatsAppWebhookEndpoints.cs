using System.Diagnostics;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Webhooks;
using KelolaPesan.Web.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KelolaPesan.Web.Endpoints;

public static class WhatsAppWebhookEndpoints
{
    public static IEndpointRouteBuilder MapWhatsAppWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/whatsapp", ReceiveAsync).AllowAnonymous().DisableAntiforgery();
        return app;
    }

    /// <summary>
    /// Verifies the HMAC on the raw bytes before anything is parsed, stores the raw event, answers at once;
    /// the processor works from the stored row afterwards.
    /// </summary>
    private static async Task<Results<Ok, UnauthorizedHttpResult, StatusCodeHttpResult>> ReceiveAsync(
        HttpRequest request, Guid? workspace, WhatsAppWebhookIngest ingest, WebhookEventQueue queue, ILoggerFactory logs, CancellationToken ct)
    {
        if (workspace is not { } workspaceId)
            return TypedResults.Unauthorized();
        var started = Stopwatch.GetTimestamp();
        if (await WebhookBody.ReadAsync(request, ct) is not { } body)
            return WebhookBody.TooLarge();
        var read = Stopwatch.GetTimestamp();

        var result = await ingest.VerifyAndStoreAsync(workspaceId, body,
            request.Headers[WebhookSignature.HmacHeader], request.Headers[WebhookSignature.AlgorithmHeader], request.Headers[WebhookSignature.TimestampHeader], ct);
        // Debug only: where a webhook's answer time goes (issue 18: a node's first POST was slow after its warm-up).
        var logger = logs.CreateLogger(typeof(WhatsAppWebhookEndpoints));
        if (logger.IsEnabled(LogLevel.Debug))
            logger.LogDebug("WhatsApp webhook {Outcome} stages: body read {Read:0.0}, verified and stored {Stored:0.0} ms", result.Outcome,
                Stopwatch.GetElapsedTime(started, read).TotalMilliseconds, Stopwatch.GetElapsedTime(read).TotalMilliseconds);
        if (result.Outcome == WebhookIngestOutcome.Rejected)
            return TypedResults.Unauthorized();
        if (result.Outcome == WebhookIngestOutcome.Stale)
        {
            logger.LogWarning("Refused a signed WhatsApp webhook for workspace {WorkspaceId}: sent outside the replay window", workspaceId);
            return TypedResults.StatusCode(StatusCodes.Status400BadRequest);
        }
        if (result is { Outcome: WebhookIngestOutcome.Stored, EventId: { } id })
            queue.Enqueue(id);
        return TypedResults.Ok();
    }
}
