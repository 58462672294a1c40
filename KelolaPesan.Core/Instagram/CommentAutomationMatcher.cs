using KelolaPesan.Core.Automation;
using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Instagram;

/// <summary>Which automations answer a comment, and what their replies say.</summary>
public static class CommentAutomationMatcher
{
    public const string UsernameKey = "username";

    /// <summary>Active, for this post (or every post), and every comment chosen or a keyword matching the way the bot rules match.</summary>
    public static bool Matches(CommentAutomation automation, string mediaId, string text)
    {
        if (!automation.IsActive)
            return false;
        var media = CommentAutomationLists.Split(automation.MediaIds).ToList();
        if (media.Count > 0 && !media.Contains(mediaId, StringComparer.Ordinal))
            return false;
        if (automation.AllComments)
            return true;
        // No keyword and not "every comment" answers nothing: never everyone by accident.
        var keywords = CommentAutomationLists.Split(automation.Keywords).ToList();
        if (keywords.Count == 0)
            return false;
        var normalized = KeywordMatcher.Normalize(text);
        return keywords.Any(k => KeywordMatcher.IsMatch(automation.MatchMode, k, normalized));
    }

    /// <summary>{username} (and {name}/{nama}) is the commenter's username; the other placeholders work as in every template.</summary>
    public static string Render(string template, string? username)
    {
        var values = MessageTemplate.Values(username, null);
        values[UsernameKey] = username;
        return MessageTemplate.Render(template, values, Random.Shared);
    }
}
