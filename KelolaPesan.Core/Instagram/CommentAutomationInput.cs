using FluentValidation;
using KelolaPesan.Core.Automation;
using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Instagram;

/// <summary>What the automation dialog edits; one validator for the page and any API.</summary>
public sealed class CommentAutomationInput
{
    public const int MaxKeywords = 50;
    public const int KeywordMaxLength = 100;
    public const int MaxMedia = 100;

    public string Name { get; set; } = "";
    public bool IsActive { get; set; } = true;

    /// <summary>Empty: every post and reel of the account.</summary>
    public List<string> MediaIds { get; set; } = [];

    /// <summary>Every comment, keywords ignored; without it at least one keyword is required.</summary>
    public bool AllComments { get; set; }

    public List<string> Keywords { get; set; } = [];
    public KeywordMatchMode MatchMode { get; set; } = KeywordMatchMode.Contains;
    public string PrivateReplyTemplate { get; set; } = "";
    public string? PublicReplyTemplate { get; set; }

    public static CommentAutomationInput From(CommentAutomation a) => new()
    {
        Name = a.Name, IsActive = a.IsActive, AllComments = a.AllComments, MediaIds = CommentAutomationLists.Split(a.MediaIds).ToList(),
        Keywords = CommentAutomationLists.Split(a.Keywords).ToList(), MatchMode = a.MatchMode,
        PrivateReplyTemplate = a.PrivateReplyTemplate, PublicReplyTemplate = a.PublicReplyTemplate,
    };
}

public sealed class CommentAutomationInputValidator : AbstractValidator<CommentAutomationInput>
{
    /// <summary>The error code of "no keyword and not every comment"; pages show the resource of the same name.</summary>
    public const string KeywordsRequiredCode = "Automation_KeywordsRequired";

    public CommentAutomationInputValidator()
    {
        RuleFor(x => x.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithProblem("Name_Required").MaximumLength(CommentAutomation.NameMaxLength);
        RuleFor(x => x.PrivateReplyTemplate).Must(t => !string.IsNullOrWhiteSpace(t)).WithProblem("Automation_PrivateReplyRequired")
            .MaximumLength(CommentAutomation.ReplyMaxLength)
            .Must(MessageTemplate.HasBalancedBraces).WithProblem("Automation_PrivateReplyBraces");
        RuleFor(x => x.PublicReplyTemplate).MaximumLength(CommentAutomation.ReplyMaxLength)
            .Must(t => t is null || MessageTemplate.HasBalancedBraces(t)).WithProblem("Automation_PublicReplyBraces");
        RuleFor(x => x.Keywords).Must(k => k.Any(w => !string.IsNullOrWhiteSpace(w))).When(x => !x.AllComments)
            .WithProblem(KeywordsRequiredCode);
        RuleFor(x => x.Keywords).Must(k => k.Count <= CommentAutomationInput.MaxKeywords).WithProblem("Keywords_TooMany", CommentAutomationInput.MaxKeywords);
        RuleForEach(x => x.Keywords).MaximumLength(CommentAutomationInput.KeywordMaxLength)
            .Must(k => !k.Contains(',')).WithProblem("Keywords_NoComma");
        RuleForEach(x => x.Keywords).Must(KeywordMatcher.IsValidRegex).When(x => x.MatchMode == KeywordMatchMode.Regex)
            .WithProblem("Keywords_InvalidRegex");
        RuleFor(x => x.Keywords).Must(k => CommentAutomationLists.Join(k).Length <= CommentAutomation.KeywordsMaxLength)
            .WithProblem("Keywords_TooLong", CommentAutomation.KeywordsMaxLength);
        RuleFor(x => x.MediaIds).Must(m => CommentAutomationLists.Join(m).Length <= CommentAutomation.MediaIdsMaxLength)
            .WithProblem("Automation_PostsTooLong");
        RuleFor(x => x.MediaIds).Must(m => m.Count <= CommentAutomationInput.MaxMedia).WithProblem("Automation_TooManyPosts", CommentAutomationInput.MaxMedia);
        RuleForEach(x => x.MediaIds).Must(id => id.Trim().Length is > 0 and <= InstagramAccount.IdMaxLength && id.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            .WithProblem("Automation_NotAPostId");
    }
}

/// <summary>The comma lists stored on <see cref="CommentAutomation"/>.</summary>
public static class CommentAutomationLists
{
    public static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static string Join(IEnumerable<string> items) =>
        string.Join(',', items.Select(i => i.Trim()).Where(i => i.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase));
}
