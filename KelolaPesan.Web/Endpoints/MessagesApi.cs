using KelolaPesan.Core.Common;
using KelolaPesan.Core.ExternalApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace KelolaPesan.Web.Endpoints;

public static class MessagesApi
{
    public static RouteGroupBuilder MapMessagesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/messages").WithTags("Messages");
        group.MapPost("/", SendAsync).WithName("SendMessage")
            .WithSummary("Send a text, or media by URL, to a phone number")
            .WithDescription("""
                Example: `{"workspaceId":"<id>","to":"0812 3456 7890","text":"Pesanan Anda sudah dikirim."}` or
                `{"workspaceId":"<id>","to":"+6281234567890","text":"Katalog","media":{"url":"https://example.com/katalog.pdf","fileName":"katalog.pdf"}}`.
                """ + "\n" + ApiIdempotency.Description);
        group.MapGet("/{id:guid}", GetAsync).WithName("GetMessage").WithSummary("A message's status (Pending, Sent, Delivered, Read, Failed)");
        return api;
    }

    private static async Task<Results<Accepted<ApiMessageView>, ValidationProblem, ProblemHttpResult>> SendAsync(
        HttpContext http, ApiMessageService messages, SendMessageRequest request,
        [FromHeader(Name = ApiIdempotency.Header)] string? idempotencyKey, CancellationToken ct)
    {
        var idempotency = string.IsNullOrEmpty(idempotencyKey) ? null : new ApiIdempotencyKey(idempotencyKey, await ApiIdempotency.FingerprintAsync(http.Request, ct));
        var outcome = await messages.SendAsync(http.ApiCaller(), request, idempotency, ct);
        switch (outcome.Kind)
        {
            case ApiSendKind.Invalid:
                return ProblemResults.ToValidationProblem(outcome.Errors!, outcome.Codes);
            case ApiSendKind.NotFound:
                return ApiProblems.NotFound("Workspace_NotFound");
            case ApiSendKind.InProgress:
                return Problem.Of("Api_IdempotencyKeyInProgress").ToApiProblem(StatusCodes.Status409Conflict);
            case ApiSendKind.KeyReused:
                return Problem.Of("Api_IdempotencyKeyReused").ToApiProblem(StatusCodes.Status422UnprocessableEntity);
            case ApiSendKind.Repeat:
                http.Response.Headers[ApiIdempotency.ReplayedHeader] = "true";
                break;
            case ApiSendKind.Sent:
                await http.AuditAsync(ApiAuditActions.MessageSent, "Message", outcome.Message!.Id, $"to={outcome.Message.To}; status={outcome.Message.Status}");
                break;
        }
        return TypedResults.Accepted($"/api/v1/messages/{outcome.Message!.Id}", outcome.Message);
    }

    private static async Task<Results<Ok<ApiMessageView>, ProblemHttpResult>> GetAsync(HttpContext http, ApiMessageService messages, Guid id, CancellationToken ct) =>
        await messages.GetAsync(http.ApiCaller(), id, ct) is { } view ? TypedResults.Ok(view) : ApiProblems.NotFound("Message_NotFound");
}

public static class ApiProblems
{
    /// <summary>404 with the thing's code (<c>Contact_NotFound</c>, ...): another tenant's id answers exactly as an unknown one.</summary>
    public static ProblemHttpResult NotFound(string code) => Problem.Of(code).ToApiProblem(StatusCodes.Status404NotFound);
}
