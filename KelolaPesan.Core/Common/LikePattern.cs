namespace KelolaPesan.Core.Common;

/// <summary>
/// The one place that turns user text into a LIKE pattern. Every character LIKE treats specially on any of our
/// providers is escaped with <see cref="Escape"/>: <c>%</c> and <c>_</c> everywhere, and <c>[</c>, which starts a
/// character class on SQL Server. An escaped ordinary character stands for itself on SQLite, SQL Server and
/// PostgreSQL alike, so one pattern means the same on each.
/// </summary>
public static class LikePattern
{
    /// <summary>The escape character to pass to <c>EF.Functions.Like(value, pattern, LikePattern.Escape)</c>.</summary>
    public const string Escape = "\\";

    /// <summary>Matches values that contain <paramref name="text"/> literally.</summary>
    public static string Contains(string text) => "%" + Literal(text) + "%";

    /// <summary>Matches values that start with <paramref name="text"/> literally.</summary>
    public static string StartsWith(string text) => Literal(text) + "%";

    /// <summary><paramref name="text"/> with every LIKE metacharacter escaped.</summary>
    public static string Literal(string text)
    {
        var escaped = new System.Text.StringBuilder(text.Length + 4);
        foreach (var c in text)
        {
            if (c is '\\' or '%' or '_' or '[')
                escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }
}
