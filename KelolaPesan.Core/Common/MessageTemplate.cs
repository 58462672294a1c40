using System.Text;

namespace KelolaPesan.Core.Common;

/// <summary>
/// Renders a message template (broadcasts, sequences and bot replies) for one recipient: placeholders <c>{name}</c>, <c>{phone}</c> and custom fields by key,
/// with a fallback after a bar (<c>{name|Kak}</c>), and spintax (<c>{Halo|Hai|Selamat pagi}</c>, nested allowed).
/// A brace group whose first part is a known key is a placeholder; otherwise a group with bars is spintax;
/// anything else (an unknown <c>{word}</c>, an unclosed brace) stays as typed.
/// </summary>
public static class MessageTemplate
{
    public const string NameKey = "name";
    public const string PhoneKey = "phone";

    /// <summary>The values every sender knows: name and phone, also under their Indonesian names.</summary>
    public static Dictionary<string, string?> Values(string? name, string? phone) => new(StringComparer.OrdinalIgnoreCase)
    {
        [NameKey] = name,
        ["nama"] = name,
        [PhoneKey] = phone,
        ["telepon"] = phone,
    };

    /// <param name="values">Every known key (case-insensitive) with the recipient's value; an empty or null value uses the fallback.</param>
    public static string Render(string template, IReadOnlyDictionary<string, string?> values, Random random)
    {
        var pos = 0;
        return RenderRun(template, ref pos, values, random, nested: false);
    }

    /// <summary>The keys a template refers to as placeholders that are not in <paramref name="known"/> (for a warning in the composer).</summary>
    public static IReadOnlyList<string> UnknownPlaceholders(string template, IReadOnlySet<string> known)
    {
        var unknown = new List<string>();
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] != '{')
                continue;
            var end = template.IndexOfAny(['}', '{', '|'], i + 1);
            if (end < 0 || template[end] != '}')
                continue;
            var key = template[(i + 1)..end].Trim();
            if (IsKeyLike(key) && !known.Contains(key))
                unknown.Add(key);
        }
        return unknown.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>True when every brace is closed (the validator rejects a template with a stray brace group).</summary>
    public static bool HasBalancedBraces(string template)
    {
        var depth = 0;
        foreach (var c in template)
        {
            if (c == '{') depth++;
            else if (c == '}' && --depth < 0) return false;
        }
        return depth == 0;
    }

    private static string RenderRun(string s, ref int pos, IReadOnlyDictionary<string, string?> values, Random random, bool nested)
    {
        var sb = new StringBuilder();
        while (pos < s.Length)
        {
            var c = s[pos];
            if (nested && (c == '|' || c == '}'))
                break;
            if (c == '{')
            {
                sb.Append(RenderGroup(s, ref pos, values, random));
                continue;
            }
            sb.Append(c);
            pos++;
        }
        return sb.ToString();
    }

    /// <summary>At a '{': renders the group and leaves <paramref name="pos"/> after its '}'.</summary>
    private static string RenderGroup(string s, ref int pos, IReadOnlyDictionary<string, string?> values, Random random)
    {
        var start = pos;
        pos++;
        var rendered = new List<string>();
        var raws = new List<string>();
        while (true)
        {
            var altStart = pos;
            rendered.Add(RenderRun(s, ref pos, values, random, nested: true));
            raws.Add(s[altStart..pos]);
            if (pos >= s.Length)
            {
                // Unclosed: the brace is literal text; render the rest as ordinary text.
                pos = start + 1;
                return "{";
            }
            if (s[pos] == '}')
            {
                pos++;
                break;
            }
            pos++; // '|'
        }

        var first = raws[0].Trim();
        if (values.ContainsKey(first))
        {
            var value = values[first];
            if (!string.IsNullOrWhiteSpace(value))
                return value;
            return rendered.Count > 1 ? string.Join("|", rendered.Skip(1)) : "";
        }
        if (rendered.Count > 1)
            return rendered[random.Next(rendered.Count)];
        return "{" + rendered[0] + "}";
    }

    private static bool IsKeyLike(string key) =>
        key.Length is > 0 and <= 50 && (char.IsLetter(key[0]) || key[0] == '_') && key.All(ch => char.IsLetterOrDigit(ch) || ch == '_');
}
