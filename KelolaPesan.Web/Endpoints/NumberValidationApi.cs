using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.ExternalApi;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Validation;
using KelolaPesan.Web.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KelolaPesan.Web.Endpoints;

public static class NumberValidationApi
{
    public static RouteGroupBuilder MapNumberValidationApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("").WithTags("Number validation");
        group.MapPost("/workspaces/{workspaceId:guid}/numbers/validate", ValidateAsync).WithName("ValidateNumbers")
            .WithSummary($"Check which numbers are on WhatsApp: up to {ApiDirectory.MaxSyncNumbers} answered at once, more as a job")
            .WithDescription("""Example: `{"numbers":["081234567890","+62 812 0000 0000"]}`. Beyond 50 numbers the answer is 202 with the job; poll GET /api/v1/validation-jobs/{id}.""" + "\n" + ApiIdempotency.Description)
            .WithIdempotencyKey();
        group.MapGet("/validation-jobs/{jobId:guid}", JobAsync).WithName("GetValidationJob").WithSummary("A validation job's progress and counts");
        return api;
    }

    private static async Task<Results<Ok<IReadOnlyList<ApiNumberCheck>>, Accepted<ApiValidationJobView>, ValidationProblem, ProblemHttpResult>> ValidateAsync(
        HttpContext http, ApiDirectory directory, NumberValidationService validation, ContactJobScheduler scheduler, PolicyService policies,
        Guid workspaceId, ValidateNumbersRequest request, CancellationToken ct)
    {
        var numbers = request.Numbers ?? [];
        if (numbers.Count == 0 || numbers.Count > NumberValidationService.MaxNumbersPerJob)
            return Problem.Of("NumberCheck_Count", NumberValidationService.MaxNumbersPerJob).ToValidationProblem("numbers");
        var caller = http.ApiCaller();
        if (!await directory.SeesWorkspaceAsync(caller, workspaceId, ct))
            return ApiProblems.NotFound("Workspace_NotFound");
        if (!await policies.IsFeatureEnabledAsync(caller.TenantId, LicenceFeatures.NumberValidation, ct))
            return Problem.Of(NumberValidationService.FeatureOff).ToApiProblem(StatusCodes.Status403Forbidden);
        if (numbers.Count <= ApiDirectory.MaxSyncNumbers)
            return await directory.CheckNowAsync(caller, workspaceId, numbers, ct) is { } results
                ? TypedResults.Ok(results) : ApiProblems.NotFound("Workspace_NotFound");

        var created = await validation.CreateJobAsync(workspaceId, null, request.Name ?? "API", numbers, ct);
        if (created.JobId is not { } jobId)
            return (created.Problem ?? Problem.Of("NotFound")).ToValidationProblem("numbers");
        await scheduler.ScheduleValidationAsync(caller.TenantId, jobId, ct);
        var job = await directory.JobAsync(caller, jobId, ct);
        return TypedResults.Accepted($"/api/v1/validation-jobs/{jobId}", job!);
    }

    private static async Task<Results<Ok<ApiValidationJobView>, ProblemHttpResult>> JobAsync(HttpContext http, ApiDirectory directory, Guid jobId, CancellationToken ct) =>
        await directory.JobAsync(http.ApiCaller(), jobId, ct) is { } job ? TypedResults.Ok(job) : ApiProblems.NotFound("ValidationJob_NotFound");
}

public sealed record ValidateNumbersRequest(List<string>? Numbers, string? Name);
