using System.Text.RegularExpressions;

namespace KelolaPesan.Core.Inbox;

/// <summary>
/// Splits message text into plain text and http(s) links, so the UI can render links as anchors and
/// everything else as escaped text. Only http and https become links: "javascript:" and the like stay text.
/// </summary>
public static partial class TextLinks
{
    public sealed record Segment(string Text, Uri? Link)
    {
        public bool IsLink => Link is not null;
    }

    [GeneratedRegex(@"https?://[^\s<>""']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex UrlPattern();

    // Punctuation that ends a sentence usually is not part of the link ("see https://x.id/a.").
    private static readonly char[] TrailingPunctuation = ['.', ',', ';', ':', '!', '?', ')', ']', '}'];

    public static IReadOnlyList<Segment> Split(string? text)
    {
        var segments = new List<Segment>();
        if (string.IsNullOrEmpty(text))
            return segments;

        var position = 0;
        foreach (Match match in UrlPattern().Matches(text))
        {
            var candidate = match.Value.TrimEnd(TrailingPunctuation);
            if (!Uri.TryCreate(candidate, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                continue;
            if (match.Index > position)
                segments.Add(new Segment(text[position..match.Index], null));
            segments.Add(new Segment(candidate, uri));
            position = match.Index + candidate.Length;
        }
        if (position < text.Length)
            segments.Add(new Segment(text[position..], null));
        return segments;
    }
}
