using FluentValidation;
using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Automation;

/// <summary>What the rule dialog edits; one validator for the page and any API.</summary>
public sealed class BotRuleInput
{
    public const int MaxKeywords = 50;
    public const int MaxDelaySeconds = 86_400;

    public Guid? Id { get; set; }
    public string Name { get; set; } = "";
    public BotTrigger Trigger { get; set; }
    public KeywordMatchMode MatchMode { get; set; } = KeywordMatchMode.Contains;
    public List<string> Keywords { get; set; } = [];
    public bool IsActive { get; set; } = true;
    public string ReplyTemplate { get; set; } = "";

    /// <summary>A file stored with <c>InboxService.UploadAttachmentAsync</c>; sent with the reply as its caption.</summary>
    public Guid? AttachmentId { get; set; }
    public int DelaySeconds { get; set; }
    public ActiveDays ActiveDays { get; set; } = ActiveDays.All;
    public TimeOnly? ActiveFrom { get; set; }
    public TimeOnly? ActiveTo { get; set; }
    public string? OutsideHoursReply { get; set; }
    public Guid? AddLabelId { get; set; }
    public Guid? AddToListId { get; set; }

    public static BotRuleInput From(BotRule r) => new()
    {
        Id = r.Id, Name = r.Name, Trigger = r.Trigger, MatchMode = r.MatchMode, Keywords = r.Keywords.Select(k => k.Keyword).ToList(),
        IsActive = r.IsActive, ReplyTemplate = r.ReplyTemplate, AttachmentId = r.AttachmentId, DelaySeconds = r.DelaySeconds, ActiveDays = r.ActiveDays,
        ActiveFrom = r.ActiveFrom, ActiveTo = r.ActiveTo, OutsideHoursReply = r.OutsideHoursReply, AddLabelId = r.AddLabelId, AddToListId = r.AddToListId,
    };
}

public sealed class BotRuleInputValidator : AbstractValidator<BotRuleInput>
{
    /// <summary>The error code of a keyword rule without keywords; the rule dialog shows the resource of the same name.</summary>
    public const string KeywordsRequiredCode = "Rule_KeywordsRequired";

    public BotRuleInputValidator()
    {
        RuleFor(x => x.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithProblem("Name_Required").MaximumLength(BotRule.NameMaxLength);
        RuleFor(x => x.ReplyTemplate).Must(n => !string.IsNullOrWhiteSpace(n)).WithProblem("Rule_ReplyRequired").MaximumLength(BotRule.ReplyMaxLength);
        RuleFor(x => x.OutsideHoursReply).MaximumLength(BotRule.ReplyMaxLength);
        RuleFor(x => x.DelaySeconds).InclusiveBetween(0, BotRuleInput.MaxDelaySeconds);
        RuleFor(x => x.ActiveDays).Must(d => d != ActiveDays.None).WithProblem("Rule_DaysRequired");
        RuleFor(x => x.ActiveTo).NotNull().When(x => x.ActiveFrom is not null).WithProblem("Rule_HoursBothEnds");
        RuleFor(x => x.ActiveFrom).NotNull().When(x => x.ActiveTo is not null).WithProblem("Rule_HoursBothEnds");
        RuleFor(x => x.Keywords).Must(k => k.Any(w => !string.IsNullOrWhiteSpace(w))).When(x => x.Trigger == BotTrigger.Keyword)
            .WithProblem(KeywordsRequiredCode);
        RuleFor(x => x.Keywords).Must(k => k.Count <= BotRuleInput.MaxKeywords).WithProblem("Keywords_TooMany", BotRuleInput.MaxKeywords);
        RuleForEach(x => x.Keywords).MaximumLength(BotKeyword.KeywordMaxLength);
        RuleForEach(x => x.Keywords).Must(KeywordMatcher.IsValidRegex).When(x => x.MatchMode == KeywordMatchMode.Regex)
            .WithProblem("Keywords_InvalidRegex");
    }
}

public sealed class BotSettingsValidator : AbstractValidator<BotSettings>
{
    public const int MaxTakeoverMinutes = 7 * 24 * 60;

    public BotSettingsValidator()
    {
        RuleFor(x => x.HumanTakeoverMinutes).InclusiveBetween(0, MaxTakeoverMinutes);
        RuleFor(x => x.CooldownSeconds).InclusiveBetween(0, 86_400);
        RuleFor(x => x.MaxRepliesPerHour).InclusiveBetween(1, 1000);
        RuleFor(x => x.OptOutKeywords).MaximumLength(BotSettings.OptOutMaxLength);
    }
}
