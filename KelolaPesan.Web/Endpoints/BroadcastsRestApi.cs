using KelolaPesan.Core.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.ExternalApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KelolaPesan.Web.Endpoints;

/// <summary>
/// Broadcasts through the API: the composer's request and validator, the same <see cref="BroadcastService"/>.
/// The tenant filter and the key's workspace scope make any other broadcast answer 404.
/// </summary>
public static class BroadcastsRestApi
{
    private const string CreateExample = """
        {"name":"Promo Lebaran","workspaceId":"<workspace id>","pastedNumbers":"081234567890\n0812 3456 7891",
         "messageTemplate":"{Halo|Hai} {name|Kak}, diskon 20% hari ini!","minDelaySeconds":30,"maxDelaySeconds":60}
        """;

    public static RouteGroupBuilder MapBroadcastsRestApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/broadcasts").WithTags("Broadcasts");
        group.MapPost("/", CreateAsync).WithName("CreateBroadcast")
            .WithSummary("Create a broadcast to lists, segments, labels or pasted numbers; it starts now or at scheduledLocal")
            .WithDescription($"""
                Example: `{CreateExample.ReplaceLineEndings(" ")}`.
                Pacing is clamped by the workspace's policy. `scheduledLocal` is the tenant's local time; without it the broadcast starts at once.
                {ApiIdempotency.Description}
                """)
            .WithIdempotencyKey()
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                if (operation.RequestBody?.Content?.TryGetValue("application/json", out var media) == true)
                    media.Example = JsonNode.Parse(CreateExample);
                return Task.CompletedTask;
            });
        group.MapGet("/{id:guid}", GetAsync).WithName("GetBroadcast")
            .WithSummary("A broadcast's status and its recipients counted per state (Pending, Sending, Sent, Delivered, Read, Failed, Skipped, Uncertain)");
        group.MapPost("/{id:guid}/start", StartAsync).WithName("StartBroadcast")
            .WithSummary("Start a scheduled broadcast now, or resume a paused one (409 in any other state)")
            .WithDescription(ApiIdempotency.Description).WithIdempotencyKey();
        group.MapPost("/{id:guid}/pause", PauseAsync).WithName("PauseBroadcast")
            .WithSummary("Pause a running or scheduled broadcast (409 in any other state)")
            .WithDescription(ApiIdempotency.Description).WithIdempotencyKey();
        return api;
    }

    private static async Task<Results<Created<ApiBroadcastView>, ValidationProblem, ProblemHttpResult>> CreateAsync(HttpContext http,
        BroadcastService broadcasts, CreateBroadcastRequest request, CancellationToken ct)
    {
        if (request.WorkspaceId != Guid.Empty && !http.ApiCaller().MaySee(request.WorkspaceId))
            return ApiProblems.NotFound("Workspace_NotFound");
        var created = await broadcasts.CreateAsync(request, null, ct);
        if (created.IsNotFound)
            return ApiProblems.NotFound("Workspace_NotFound");
        if (created.BroadcastId is not { } id)
            return TypedResults.ValidationProblem(created.ErrorsByField.Count > 0
                ? created.ErrorsByField.ToDictionary(e => JsonNamingPolicy.CamelCase.ConvertName(e.Key), e => e.Value)
                : new Dictionary<string, string[]> { [""] = created.Errors.ToArray() });
        await http.AuditAsync(ApiAuditActions.BroadcastCreated, nameof(Broadcast), id,
            $"workspace={request.WorkspaceId}; recipients={created.Recipients}; skipped={created.Skipped}");
        return TypedResults.Created($"/api/v1/broadcasts/{id}", await ViewAsync(broadcasts, (await broadcasts.GetAsync(id, ct))!, ct));
    }

    private static async Task<Results<Ok<ApiBroadcastView>, ProblemHttpResult>> GetAsync(HttpContext http, BroadcastService broadcasts, Guid id, CancellationToken ct) =>
        await VisibleAsync(http, broadcasts, id, ct) is { } broadcast ? TypedResults.Ok(await ViewAsync(broadcasts, broadcast, ct)) : ApiProblems.NotFound("Broadcast_NotFound");

    private static Task<Results<Ok<ApiBroadcastView>, ProblemHttpResult>> StartAsync(HttpContext http, BroadcastService broadcasts, Guid id, CancellationToken ct) =>
        MoveAsync(http, broadcasts, id, broadcasts.StartAsync, ApiAuditActions.BroadcastStarted, "started", ct);

    private static Task<Results<Ok<ApiBroadcastView>, ProblemHttpResult>> PauseAsync(HttpContext http, BroadcastService broadcasts, Guid id, CancellationToken ct) =>
        MoveAsync(http, broadcasts, id, (b, c) => broadcasts.PauseAsync(b, http.ApiCaller().Name, c), ApiAuditActions.BroadcastPaused, "paused", ct);

    private static async Task<Results<Ok<ApiBroadcastView>, ProblemHttpResult>> MoveAsync(HttpContext http, BroadcastService broadcasts, Guid id,
        Func<Guid, CancellationToken, Task<bool>> move, string action, string verb, CancellationToken ct)
    {
        if (await VisibleAsync(http, broadcasts, id, ct) is not { } before)
            return ApiProblems.NotFound("Broadcast_NotFound");
        if (!await move(id, ct))
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                detail: $"A {before.Status.ToString().ToLowerInvariant()} broadcast cannot be {verb}.");
        await http.AuditAsync(action, nameof(Broadcast), id);
        return TypedResults.Ok(await ViewAsync(broadcasts, (await broadcasts.GetAsync(id, ct))!, ct));
    }

    /// <summary>The broadcast when the caller may see it: the tenant's (query filter), in the key's scope, not a sequence's carrier.</summary>
    private static async Task<Broadcast?> VisibleAsync(HttpContext http, BroadcastService broadcasts, Guid id, CancellationToken ct) =>
        await broadcasts.GetAsync(id, ct) is { SequenceStepId: null } b && http.ApiCaller().MaySee(b.WorkspaceId) ? b : null;

    private static async Task<ApiBroadcastView> ViewAsync(BroadcastService broadcasts, Broadcast b, CancellationToken ct)
    {
        // The page's numbers: the recipients a cancel took out of the queue are Cancelled, not Skipped.
        var counts = await broadcasts.CountAsync(b.Id, ct);
        var byState = Enum.GetValues<RecipientStatus>().ToDictionary(s => s.ToString(), s => counts.ByStatus.GetValueOrDefault(s));
        byState[CancelledCount] = counts.Cancelled;
        return new ApiBroadcastView(b.Id, b.WorkspaceId, b.Name, b.Status.ToString(), ProblemText.Describe(b.StatusReason),
            ProblemText.Parse(b.StatusReason)?.Code, b.ScheduledAt, b.StartedAt, b.FinishedAt, b.TotalRecipients, byState);
    }

    public const string CancelledCount = "Cancelled";
}

/// <param name="StatusReason">Why it is in its state, in the language asked (who paused or cancelled it, what stopped it).</param>
/// <param name="StatusReasonCode">The reason's code (docs/api-error-codes.md), for a client to branch on.</param>
public sealed record ApiBroadcastView(Guid Id, Guid WorkspaceId, string Name, string Status, string? StatusReason, string? StatusReasonCode,
    DateTimeOffset? ScheduledAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, int Total, IReadOnlyDictionary<string, int> Counts);
