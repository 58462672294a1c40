using FluentValidation;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;

namespace KelolaPesan.Core.Admin;

public sealed class PolicySettingsValidator : AbstractValidator<PolicySettings>
{
    public const int MaxDelayLimitSeconds = 3600;

    public PolicySettingsValidator()
    {
        RuleFor(x => x.MaxWorkspaces).GreaterThan(0);
        RuleFor(x => x.DailyCapPerWorkspace).GreaterThan(0);
        RuleFor(x => x.MinDelaySeconds).GreaterThanOrEqualTo(1)
            .LessThanOrEqualTo(x => x.MaxDelaySeconds).WithProblem("Policy_DelayRange");
        RuleFor(x => x.MaxDelaySeconds).LessThanOrEqualTo(MaxDelayLimitSeconds);
        RuleFor(x => x.BatchSize).GreaterThan(0);
        RuleFor(x => x.BatchRestSeconds).GreaterThanOrEqualTo(0);
        // Start after end is allowed: the window runs across midnight (e.g. 20:00 to 06:00). Equal would be empty.
        RuleFor(x => x.SendWindowEnd).NotEqual(x => x.SendWindowStart).WithProblem("Policy_WindowEmpty");
        RuleFor(x => x.MaxAttachmentBytes).GreaterThan(0);
        RuleFor(x => x.MaxImportBytes).GreaterThan(0);
        RuleFor(x => x.MaxImportRows).GreaterThan(0);
        RuleFor(x => x.MaxReconnectsPerDay).GreaterThanOrEqualTo(0);
        RuleFor(x => x.NumberCheckMaxAgeDays).GreaterThanOrEqualTo(1);
        RuleFor(x => x.MaxUnknownSessionChecks).GreaterThanOrEqualTo(1);
        RuleFor(x => x.AllowedFeatures).Must(f => (f & ~LicenceFeatures.All) == 0).WithProblem("Feature_Unknown");
    }
}
