using System.Text;

namespace KelolaPesan.Core.Automation;

/// <summary>
/// Renders a reply: {name} and {phone} placeholders and spintax {Halo|Hai|Selamat datang}, nested allowed.
/// Braces with a '|' are a choice; braces around a known name are a placeholder; anything else stays as written.
/// (Issue 6 brings a broadcast renderer; the two are to be unified.)
/// </summary>
public static class MessageTemplate
{
    public static string Render(string template, IReadOnlyDictionary<string, string?> values, Random? random = null)
    {
        random ??= Random.Shared;
        var sb = new StringBuilder(template.Length);
        var i = 0;
        while (i < template.Length)
        {
            var ch = template[i];
            var close = ch == '{' ? MatchingBrace(template, i) : -1;
            if (close < 0)
            {
                sb.Append(ch);
                i++;
                continue;
            }
            var inner = template[(i + 1)..close];
            var choices = SplitTopLevel(inner);
            if (choices.Count > 1)
                sb.Append(Render(choices[random.Next(choices.Count)], values, random));
            else if (values.TryGetValue(inner.Trim().ToLowerInvariant(), out var value))
                sb.Append(value);
            else
                sb.Append('{').Append(Render(inner, values, random)).Append('}');
            i = close + 1;
        }
        return sb.ToString();
    }

    public static Dictionary<string, string?> Values(string? name, string? phone) => new()
    {
        ["name"] = name,
        ["nama"] = name,
        ["phone"] = phone,
        ["telepon"] = phone,
    };

    private static int MatchingBrace(string s, int open)
    {
        var depth = 0;
        for (var i = open; i < s.Length; i++)
        {
            if (s[i] == '{')
                depth++;
            else if (s[i] == '}' && --depth == 0)
                return i;
        }
        return -1;
    }

    private static List<string> SplitTopLevel(string s)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '{')
                depth++;
            else if (s[i] == '}')
                depth--;
            else if (s[i] == '|' && depth == 0)
            {
                parts.Add(s[start..i]);
                start = i + 1;
            }
        }
        parts.Add(s[start..]);
        return parts;
    }
}
