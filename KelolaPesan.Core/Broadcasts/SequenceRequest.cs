using FluentValidation;
using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>Who a sequence takes in: nobody yet, a list or segment once (on save), or whoever joins a list later.</summary>
public enum SequenceEnrolSource { None = 0, List = 1, Segment = 2, JoinsList = 3 }

/// <summary>What the sequence editor (and any API) sends to create or change a sequence.</summary>
public sealed class SequenceRequest
{
    public const int MaxSteps = 20;
    public const int MaxDelayDays = 365;

    public string Name { get; set; } = "";
    public Guid WorkspaceId { get; set; }
    public List<SequenceStepRequest> Steps { get; set; } = [new()];
    public SequenceEnrolSource EnrolSource { get; set; }

    /// <summary>The list or segment of <see cref="EnrolSource"/>.</summary>
    public Guid? EnrolSourceId { get; set; }
    public bool StopOnReply { get; set; } = true;
    public bool IsActive { get; set; } = true;
}

/// <summary>One step: day N after enrolment, then either N days and M minutes or day N at a time of day (tenant time zone).</summary>
public sealed class SequenceStepRequest
{
    public int DelayDays { get; set; }
    public int DelayMinutes { get; set; }
    public TimeOnly? TimeOfDay { get; set; }
    public string MessageTemplate { get; set; } = "";

    /// <summary>A file sent with the step (its text becomes the caption), uploaded through the broadcast upload path.</summary>
    public Guid? AttachmentId { get; set; }

    /// <summary>For display only: the attached file's name when an existing sequence is opened.</summary>
    public string? AttachmentName { get; set; }

    public SequenceStepInput ToInput() => new(DelayDays, TimeOfDay is null ? DelayMinutes : 0, TimeOfDay, MessageTemplate, AttachmentId);
}

public sealed class SequenceRequestValidator : AbstractValidator<SequenceRequest>
{
    public SequenceRequestValidator()
    {
        RuleFor(x => x.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithProblem("Sequence_NameRequired")
            .MaximumLength(Sequence.NameMaxLength);
        RuleFor(x => x.WorkspaceId).NotEmpty().WithProblem("Workspace_Required");
        RuleFor(x => x.Steps).NotEmpty().WithProblem("Sequence_StepsRequired")
            .Must(s => s.Count <= SequenceRequest.MaxSteps).WithProblem("Sequence_TooManySteps", SequenceRequest.MaxSteps);
        RuleForEach(x => x.Steps).SetValidator(new SequenceStepRequestValidator());
        RuleFor(x => x.EnrolSourceId).NotEmpty().When(x => x.EnrolSource != SequenceEnrolSource.None)
            .WithProblem("Sequence_EnrolSourceRequired");
    }
}

public sealed class SequenceStepRequestValidator : AbstractValidator<SequenceStepRequest>
{
    public SequenceStepRequestValidator()
    {
        RuleFor(x => x.MessageTemplate).Must(t => !string.IsNullOrWhiteSpace(t)).WithProblem("Sequence_StepMessageRequired")
            .MaximumLength(Broadcast.MessageMaxLength)
            .Must(t => MessageTemplate.HasBalancedBraces(t ?? "")).WithProblem("Template_UnbalancedBraces");
        RuleFor(x => x.DelayDays).InclusiveBetween(0, SequenceRequest.MaxDelayDays);
        RuleFor(x => x.DelayMinutes).InclusiveBetween(0, 24 * 60 - 1).When(x => x.TimeOfDay is null);
    }
}
