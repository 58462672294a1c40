using FluentValidation.Results;
using KelolaPesan.Core.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KelolaPesan.Web.Endpoints;

/// <summary>
/// The one mapping of Core's <see cref="Problem"/> and validation failures to the API's problem details: the sentence
/// (English in the API, see <see cref="ExternalApiSetup"/>) plus the stable <c>code</c> a client can branch on
/// (docs/api-error-codes.md). Pages read the same codes through <see cref="ProblemText"/>.
/// </summary>
public static class ProblemResults
{
    public const string CodeKey = "code";
    public const string CodesKey = "codes";
    public const string RemoteDetailKey = "remoteDetail";

    public static ProblemHttpResult ToApiProblem(this Problem problem, int statusCode)
    {
        var extensions = new Dictionary<string, object?> { [CodeKey] = problem.Code };
        if (problem.Detail is not null)
            extensions[RemoteDetailKey] = problem.Detail;
        return TypedResults.Problem(detail: problem.Text, statusCode: statusCode, extensions: extensions);
    }

    /// <summary>One field's problem as a validation problem (400) with the field's code.</summary>
    public static ValidationProblem ToValidationProblem(this Problem problem, string field) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [problem.Text] },
            extensions: new Dictionary<string, object?> { [CodesKey] = new Dictionary<string, string[]> { [field] = [problem.Code] } });

    /// <summary>Field errors with their codes beside them (<c>codes</c>: field to codes, same order as the messages).</summary>
    public static ValidationProblem ToValidationProblem(IDictionary<string, string[]> errors, IDictionary<string, string[]>? codes) =>
        TypedResults.ValidationProblem(errors, extensions: codes is null ? null : new Dictionary<string, object?> { [CodesKey] = codes });

    /// <summary>A FluentValidation result keyed by <paramref name="field"/>'s naming (the API's camelCase).</summary>
    public static (Dictionary<string, string[]> Errors, Dictionary<string, string[]> Codes) Split(IEnumerable<ValidationFailure> failures, Func<string, string> field)
    {
        var groups = failures.GroupBy(f => field(f.PropertyName)).ToList();
        return (groups.ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).ToArray()),
            groups.ToDictionary(g => g.Key, g => g.Select(f => f.ErrorCode).ToArray()));
    }
}
