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
    /// The sentence of a reason stored in the database: a code (optionally <c>Code|arg|arg</c>) is read in the user's
    /// language, any other text (older rows, a remote system's own words) is shown as it is.
    /// </summary>
    public static string? Display(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
            return stored;
        var parts = stored.Split('|');
        return IsCode(parts[0]) ? Format(parts[0], parts[1..]) : stored;
    }

    /// <summary>How a code with arguments is stored in a reason column, read back by <see cref="Display"/>.</summary>
    public static string Store(string code, params object[] args) =>
        args.Length == 0 ? code : code + "|" + string.Join('|', args.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture)));
}
