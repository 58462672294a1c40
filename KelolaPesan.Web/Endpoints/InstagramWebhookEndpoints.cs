using KelolaPesan.Core.Instagram;
using KelolaPesan.Core.Webhooks;
using KelolaPesan.Web.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KelolaPesan.Web.Endpoints;

public static class InstagramWebhookEndpoints
{
    public static IEndpointRouteBuilder MapInstagramWebhooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/webhooks/instagram").AllowAnonymous().DisableAntiforgery();
        group.MapGet("", Handshake);
        group.MapPost("", ReceiveAsync);
        return app;
    }

    private static Results<ContentHttpResult, StatusCodeHttpResult> Handshake(HttpRequest request, InstagramWebhookIngest ingest)
    {
        var challenge = ingest.Handshake(request.Query["hub.mode"], request.Query["hub.verify_token"], request.Query["hub.challenge"]);
        // A plain 403: Forbid() would ask the cookie scheme and redirect to the sign-in page.
        return challenge is null ? TypedResults.StatusCode(StatusCodes.Status403Forbidden) : TypedResults.Text(challenge, "text/plain");
    }

    /// <summary>Signature on the raw bytes first (401, nothing stored), then stored, answered, and processed afterwards.</summary>
    private static async Task<Results<Ok, UnauthorizedHttpResult, StatusCodeHttpResult>> ReceiveAsync(
        HttpRequest request, InstagramWebhookIngest ingest, InstagramWebhookQueue queue, CancellationToken ct)
    {
        if (await WebhookBody.ReadAsync(request, ct) is not { } body)
            return WebhookBody.TooLarge();
        var result = await ingest.VerifyAndStoreAsync(body, request.Headers[InstagramSignature.Header], ct);
        if (result.Outcome == WebhookIngestOutcome.Rejected)
            return TypedResults.Unauthorized();
        if (result is { Outcome: WebhookIngestOutcome.Stored, EventId: { } id })
            queue.Enqueue(id);
        return TypedResults.Ok();
    }
}
