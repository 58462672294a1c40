using FluentValidation;

namespace KelolaPesan.Core.Common;

/// <summary>
/// Why something could not be done, as a stable code (a key of Common/ProblemText.resx) with the arguments of its
/// sentence, plus an optional raw detail from outside (a gateway's or Graph's own error text). The code is what the API
/// documents and what tests compare; the sentence is read in the user's language only where it is shown
/// (<see cref="ProblemText"/>), so Core never holds English that reaches a page.
/// </summary>
public sealed record Problem(string Code, object[] Args, string? Detail = null)
{
    public static Problem Of(string code, params object[] args) => new(code, args);

    /// <summary>The same problem carrying the raw text a remote system answered, shown to the user only on demand.</summary>
    public Problem WithDetail(string? detail) => this with { Detail = string.IsNullOrWhiteSpace(detail) ? null : detail };

    /// <summary>The sentence in the current UI culture.</summary>
    public string Text => ProblemText.Format(Code, Args);

    public override string ToString() => Text;
}

/// <summary>Either a value or the <see cref="Problem"/> that prevented it.</summary>
public readonly record struct Result<T>(T? Value, Problem? Problem)
{
    public bool Succeeded => Problem is null;

    public static Result<T> Ok(T value) => new(value, null);

    public static Result<T> Fail(Problem problem) => new(default, problem);

    public static Result<T> Fail(string code, params object[] args) => new(default, Problem.Of(code, args));

    public static implicit operator Result<T>(Problem problem) => Fail(problem);
}

public static class ProblemRules
{
    /// <summary>
    /// The rule fails with <paramref name="code"/> as its error code and the code's sentence in the culture of the
    /// moment it runs: one validator answers the UI in Indonesian or English and the API with a stable code.
    /// </summary>
    public static IRuleBuilderOptions<T, TProperty> WithProblem<T, TProperty>(this IRuleBuilderOptions<T, TProperty> rule, string code, params object[] args) =>
        rule.WithErrorCode(code).WithMessage(_ => ProblemText.Format(code, args)).WithState(_ => Problem.Of(code, args));

    /// <summary>A failure added by hand (<c>context.AddFailure</c>) with a code and its sentence.</summary>
    public static void AddProblem<T>(this ValidationContext<T> context, string propertyName, string code, params object[] args) =>
        context.AddFailure(new FluentValidation.Results.ValidationFailure(propertyName, ProblemText.Format(code, args)) { ErrorCode = code, CustomState = Problem.Of(code, args) });

    /// <summary>
    /// The problem behind a validation failure (kept as its state by <see cref="WithProblem{T, TProperty}"/> and
    /// <see cref="AddProblem{T}"/>), so it can be stored as a code and read later in the reader's language; null for a
    /// failure of a built-in rule without a code of ours.
    /// </summary>
    public static Problem? ProblemOf(FluentValidation.Results.ValidationFailure failure) =>
        failure.CustomState as Problem ?? (ProblemText.IsCode(failure.ErrorCode) ? Problem.Of(failure.ErrorCode) : null);
}
