using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Automation;

/// <summary>The rule that fires for a message, and whether it fired outside its hours (then its outside-hours reply is sent).</summary>
public sealed record RuleMatch(BotRule Rule, bool OutsideHours)
{
    public string Template => OutsideHours ? Rule.OutsideHoursReply ?? "" : Rule.ReplyTemplate;
}

/// <summary>
/// Picks the rule for an inbound message. Text and keywords are compared trimmed, case- and accent-insensitively
/// ("Harga", " HÁRGA " and "harga" are one keyword). Order: keyword rules by priority (lower first), then the
/// welcome rule on a contact's first message, then the fallback. A rule outside its days/hours answers with its
/// outside-hours reply when it has one, else it is skipped.
/// </summary>
public static class KeywordMatcher
{
    /// <summary>A pathological pattern cannot hold the webhook processor: past this it is no match.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    public static RuleMatch? Select(IEnumerable<BotRule> rules, string text, bool firstMessage, DateTime localTime, ILogger? logger = null)
    {
        var ordered = rules.Where(r => r.IsActive).OrderBy(r => r.Priority).ThenBy(r => r.CreatedAt).ThenBy(r => r.Id).ToList();
        var normalized = Normalize(text);
        var candidates = ordered.Where(r => r.Trigger == BotTrigger.Keyword && r.Keywords.Any(k => IsMatch(r.MatchMode, k.Keyword, normalized, logger)))
            .Concat(firstMessage ? ordered.Where(r => r.Trigger == BotTrigger.Welcome) : [])
            .Concat(ordered.Where(r => r.Trigger == BotTrigger.Fallback));
        foreach (var rule in candidates)
        {
            if (BotHours.IsActive(rule, localTime))
                return new RuleMatch(rule, false);
            if (!string.IsNullOrWhiteSpace(rule.OutsideHoursReply))
                return new RuleMatch(rule, true);
        }
        return null;
    }

    /// <summary>Whether a keyword matches a message already passed through <see cref="Normalize"/>.</summary>
    public static bool IsMatch(KeywordMatchMode mode, string keyword, string normalizedText, ILogger? logger = null)
    {
        if (mode == KeywordMatchMode.Regex)
            return RegexMatch(keyword, normalizedText, logger);
        var key = Normalize(keyword);
        if (key.Length == 0)
            return false;
        return mode switch
        {
            KeywordMatchMode.Exact => normalizedText == key,
            KeywordMatchMode.StartsWith => normalizedText.StartsWith(key, StringComparison.Ordinal),
            _ => normalizedText.Contains(key, StringComparison.Ordinal),
        };
    }

    /// <summary>Trimmed, lower case, accents removed (NFD without non-spacing marks), inner whitespace collapsed.</summary>
    public static string Normalize(string? text)
    {
        var stripped = StripMarks(text ?? "").ToLowerInvariant();
        return string.Join(' ', stripped.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Whether a pattern compiles; the rule validator rejects the ones that do not.</summary>
    public static bool IsValidRegex(string pattern)
    {
        try
        {
            _ = new Regex(StripMarks(pattern), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool RegexMatch(string pattern, string normalizedText, ILogger? logger)
    {
        // The pattern keeps its case (\D is not \d); accents go, and IgnoreCase covers the rest.
        try
        {
            return Regex.IsMatch(normalizedText, StripMarks(pattern.Trim()), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            logger?.LogWarning("Bot keyword pattern {Pattern} timed out after {Timeout} ms; treated as no match", pattern, RegexTimeout.TotalMilliseconds);
            return false;
        }
        catch (ArgumentException)
        {
            logger?.LogWarning("Bot keyword pattern {Pattern} is not a valid regular expression; treated as no match", pattern);
            return false;
        }
    }

    private static string StripMarks(string text)
    {
        var decomposed = text.Trim().Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var ch in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark)
                sb.Append(ch);
        }
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }
}
