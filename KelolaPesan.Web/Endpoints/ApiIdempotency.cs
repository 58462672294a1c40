using System.Text.Json;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.ExternalApi;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace KelolaPesan.Web.Endpoints;

/// <summary>
/// <c>Idempotency-Key</c> on the API's POST endpoints (IETF draft "The Idempotency-Key HTTP Header Field"): the same
/// request again answers the first answer (header <c>Idempotent-Replayed: true</c>) and does nothing again; the key
/// with another request answers 422 <c>Api_IdempotencyKeyReused</c>, and while its first request still runs, 409.
/// A request that was refused (4xx) or failed did nothing: its key is released, so a corrected request may use it.
/// POST /api/v1/messages claims its key inside <see cref="ApiMessageService"/>, where a send is known to have happened.
/// </summary>
public static class ApiIdempotency
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public const string Description = """
        With an `Idempotency-Key` header a repeat returns the first answer (header `Idempotent-Replayed: true`) and does nothing again;
        the key sent again with another body answers 422 (`Api_IdempotencyKeyReused`), and while its first request still runs, 409.
        """;

    public static RouteHandlerBuilder WithIdempotencyKey(this RouteHandlerBuilder builder) => builder.AddEndpointFilter(async (context, next) =>
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[Header].ToString();
        if (key.Length == 0)
            return await next(context);
        if (key.Length > ApiIdempotencyRecord.KeyMaxLength)
            return Problem.Of("Api_IdempotencyKeyTooLong", ApiIdempotencyRecord.KeyMaxLength).ToValidationProblem(Header);

        var keys = http.RequestServices.GetRequiredService<ApiIdempotencyService>();
        var claim = await keys.ClaimAsync(http.ApiCaller(), new ApiIdempotencyKey(key, await FingerprintAsync(http.Request, http.RequestAborted)), http.RequestAborted);
        switch (claim.Kind)
        {
            case ApiIdempotencyClaimKind.KeyReused:
                return Problem.Of("Api_IdempotencyKeyReused").ToApiProblem(StatusCodes.Status422UnprocessableEntity);
            case ApiIdempotencyClaimKind.InProgress:
                return Problem.Of("Api_IdempotencyKeyInProgress").ToApiProblem(StatusCodes.Status409Conflict);
            case ApiIdempotencyClaimKind.Repeat:
                return Replay(http, claim.Record);
        }

        object? result;
        try
        {
            result = await next(context);
        }
        catch
        {
            await keys.ReleaseAsync(claim.Record);
            throw;
        }
        if (Answer(result) is { StatusCode: >= 200 and < 300 } answer)
        {
            var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            var body = (answer as IValueHttpResult)?.Value;
            await keys.CompleteAsync(claim.Record, answer.StatusCode.Value, JsonSerializer.Serialize(
                new StoredAnswer(LocationOf(answer), body is null ? null : JsonSerializer.SerializeToElement(body, body.GetType(), json)), json));
        }
        else
            await keys.ReleaseAsync(claim.Record);
        return result;
    });

    /// <summary>The body was read once by the binding; the API pipeline buffers it when the request has an Idempotency-Key.</summary>
    public static async Task<byte[]> FingerprintAsync(HttpRequest request, CancellationToken ct)
    {
        request.Body.Position = 0;
        return await ApiIdempotencyRecord.FingerprintAsync(request.Method, request.PathBase + request.Path, request.Body, ct);
    }

    private static IResult Replay(HttpContext http, ApiIdempotencyRecord record)
    {
        http.Response.Headers[ReplayedHeader] = "true";
        var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var stored = JsonSerializer.Deserialize<StoredAnswer>(record.ResponseJson, json)!;
        if (stored.Location is not null)
            http.Response.Headers.Location = stored.Location;
        return stored.Body is { } body ? TypedResults.Json(body, json, statusCode: record.StatusCode) : TypedResults.StatusCode(record.StatusCode);
    }

    /// <summary>The answer inside an endpoint's <c>Results&lt;...&gt;</c>.</summary>
    private static IStatusCodeHttpResult? Answer(object? result) => result switch
    {
        INestedHttpResult nested => Answer(nested.Result),
        IStatusCodeHttpResult answer => answer,
        _ => null,
    };

    // Created<T> and Accepted<T> carry their Location, but no interface of the framework names it.
    private static string? LocationOf(IStatusCodeHttpResult answer) => answer.GetType().GetProperty("Location")?.GetValue(answer) as string;

    /// <summary>What a repeat answers: the first answer's Location header and body (its status is the record's).</summary>
    private sealed record StoredAnswer(string? Location, JsonElement? Body);
}
