using System.Text.RegularExpressions;

namespace KelolaPesan.Core.Inbox;

/// <summary>
/// WhatsApp's text formatting (<c>*bold*</c>, <c>_italic_</c>, <c>~strike~</c>, <c>```mono```</c>) as styled
/// runs of plain text, so the UI can render each run as an element with escaped text: never HTML from the
/// message. Like WhatsApp, a marker only counts at a word's edge, around non-blank text, within one line;
/// anything else (<c>snake_case_name</c>, <c>2*3*4</c>) stays literal. Links inside a run are split out by
/// <see cref="TextLinks"/>.
/// </summary>
public static partial class WhatsAppFormatting
{
    [Flags]
    public enum Style
    {
        None = 0,
        Bold = 1,
        Italic = 2,
        Strike = 4,
        Code = 8,
    }

    public sealed record Run(string Text, Style Style, Uri? Link);

    // Monospace first: its content is not formatted further.
    [GeneratedRegex(@"```(?<text>[^\n]+?)```", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"(?<![\p{L}\p{N}*_~])(?<mark>[*_~])(?<text>\S(?:[^\n]*?\S)?)\k<mark>(?![\p{L}\p{N}])",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex MarkPattern();

    /// <summary>The text without its formatting markers, for one-line previews (the chat list showed "_Dikirim dengan..._").</summary>
    public static string Plain(string? text) => string.Concat(Parse(text).Select(r => r.Text));

    public static IReadOnlyList<Run> Parse(string? text)
    {
        var runs = new List<Run>();
        if (string.IsNullOrEmpty(text))
            return runs;
        var position = 0;
        foreach (Match match in CodePattern().Matches(text))
        {
            AddMarked(runs, text[position..match.Index], Style.None, depth: 0);
            AddText(runs, match.Groups["text"].Value, Style.Code);
            position = match.Index + match.Length;
        }
        AddMarked(runs, text[position..], Style.None, depth: 0);
        return runs;
    }

    private static void AddMarked(List<Run> runs, string text, Style style, int depth)
    {
        if (text.Length == 0)
            return;
        var position = 0;
        // Nesting (*_bold italic_*) is followed a few levels deep; deeper markers stay literal.
        if (depth < 3)
        {
            var links = LinkRanges(text);
            foreach (Match match in MarkPattern().Matches(text))
            {
                // A marker inside a link (https://x.id/_a_) belongs to the address.
                if (match.Index < position || links.Any(l => l.Contains(match.Index) || l.Contains(match.Index + match.Length - 1)))
                    continue;
                AddText(runs, text[position..match.Index], style);
                var mark = match.Groups["mark"].Value[0] switch
                {
                    '*' => Style.Bold,
                    '_' => Style.Italic,
                    _ => Style.Strike,
                };
                AddMarked(runs, match.Groups["text"].Value, style | mark, depth + 1);
                position = match.Index + match.Length;
            }
        }
        AddText(runs, text[position..], style);
    }

    private static List<Range> LinkRanges(string text)
    {
        var ranges = new List<Range>();
        var offset = 0;
        foreach (var segment in TextLinks.Split(text))
        {
            if (segment.IsLink)
                ranges.Add(new Range(offset, offset + segment.Text.Length));
            offset += segment.Text.Length;
        }
        return ranges;
    }

    private readonly record struct Range(int Start, int End)
    {
        public bool Contains(int index) => index >= Start && index < End;
    }

    private static void AddText(List<Run> runs, string text, Style style)
    {
        foreach (var segment in TextLinks.Split(text))
            runs.Add(new Run(segment.Text, style, segment.Link));
    }
}
