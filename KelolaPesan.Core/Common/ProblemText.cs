using System.Globalization;
using System.Resources;

namespace KelolaPesan.Core.Common;

/// <summary>
/// The sentences of every <see cref="Problem"/> code (Common/ProblemText.resx is Bahasa Indonesia, .en.resx English),
/// read in the current UI culture: the one place a code becomes text, for pages and for the API alike.
/// </summary>
public static class ProblemText
{
    private static readonly ResourceManager Resources = new("KelolaPesan.Core.Common.ProblemText", typeof(ProblemText).Assembly);

    /// <summary>True when <paramref name="code"/> is a known code (so a stored reason can be told from free text).</summary>
    public static bool IsCode(string? code) =>
        !string.IsNullOrEmpty(code) && code.IndexOf(' ') < 0 && Resources.GetString(code, CultureInfo.InvariantCulture) is not null;

    public static string Get(string code) => Resources.GetString(code, CultureInfo.CurrentUICulture) ?? code;

    public static string Format(string code, params object[] args) =>
        args.Length == 0 ? Get(code) : string.Format(CultureInfo.CurrentCulture, Get(code), args);

    /// <summary>
    /// The sentence of a reason stored in the database: a code (as written by <see cref="Store(Problem)"/>) is read in
    /// the user's language, any other text (older rows, a remote system's own words) is shown as it is.
    /// </summary>
    public static string? Display(string? stored) =>
        string.IsNullOrEmpty(stored) ? stored
        : stored.Contains(Separator) ? string.Join(" ", stored.Split(Separator).Select(Display))
        : Parse(stored)?.Text ?? stored;

    /// <summary>The stored problem's sentence with the remote detail in brackets, for plain text (API fields, exports).</summary>
    public static string? Describe(string? stored) =>
        string.IsNullOrEmpty(stored) ? stored
        : stored.Contains(Separator) ? string.Join(" ", stored.Split(Separator).Select(Describe))
        : Parse(stored) is { } problem ? problem.Detail is null ? problem.Text : $"{problem.Text} ({problem.Detail})" : stored;

    /// <summary>Between the problems of one column that holds several (an import row failing more than one rule).</summary>
    public const char Separator = '\u001e';

    /// <summary>Several problems in one column (see <see cref="Store(Problem)"/>), each read in the reader's language.</summary>
    public static string Store(IEnumerable<Problem> problems) => string.Join(Separator, problems.Select(Store).Distinct());

    /// <summary>
    /// How a problem is kept in a reason/error column: <c>Code|arg|arg</c>, then the remote detail after a line break.
    /// The column holds no sentence, so each reader sees it in their own language.
    /// </summary>
    public static string Store(Problem problem)
    {
        var head = problem.Args.Length == 0 ? problem.Code
            : problem.Code + "|" + string.Join('|', problem.Args.Select(a => Arg(Convert.ToString(a, CultureInfo.InvariantCulture))));
        return problem.Detail is null ? head : head + "\n" + problem.Detail;
    }

    // An argument may be a user's own text (a cell of an imported row): the characters of the format itself are replaced.
    private static string Arg(string? value) =>
        value is null ? "" : value.Replace('|', '¦').Replace('\n', ' ').Replace('\r', ' ').Replace(Separator, ' ');

    /// <summary>The problem kept by <see cref="Store(Problem)"/>; null when the text is not one (free text).</summary>
    public static Problem? Parse(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
            return null;
        var lineEnd = stored.IndexOf('\n');
        var head = lineEnd < 0 ? stored : stored[..lineEnd];
        var parts = head.Split('|');
        if (!IsCode(parts[0]))
            return null;
        return new Problem(parts[0], parts[1..], lineEnd < 0 ? null : stored[(lineEnd + 1)..]);
    }
}
