using FluentValidation;
using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>What the composer (and the API) asks for; pacing is clamped by the workspace policy on creation.</summary>
public sealed class CreateBroadcastRequest
{
    public const int PastedNumbersMaxLength = 200_000;

    public string Name { get; set; } = "";
    public Guid WorkspaceId { get; set; }
    public List<Guid> ListIds { get; set; } = [];
    public List<Guid> SegmentIds { get; set; } = [];
    public List<Guid> LabelIds { get; set; } = [];

    /// <summary>Numbers separated by new lines, commas or semicolons, in any format the normaliser reads.</summary>
    public string? PastedNumbers { get; set; }
    public string MessageTemplate { get; set; } = "";
    public Guid? AttachmentId { get; set; }

    /// <summary>Null: start now. Otherwise the local time in the tenant's time zone.</summary>
    public DateTime? ScheduledLocal { get; set; }
    public int MinDelaySeconds { get; set; } = 30;
    public int MaxDelaySeconds { get; set; } = 60;
    public int BatchSize { get; set; } = 50;
    public int BatchRestSeconds { get; set; } = 600;
    public int DailyCap { get; set; } = 1000;
    public TimeOnly? WindowStart { get; set; }
    public TimeOnly? WindowEnd { get; set; }

    public bool HasAudience => ListIds.Count > 0 || SegmentIds.Count > 0 || LabelIds.Count > 0 || !string.IsNullOrWhiteSpace(PastedNumbers);
}

public sealed class CreateBroadcastRequestValidator : AbstractValidator<CreateBroadcastRequest>
{
    /// <summary>The error key of the whole-audience rule (no single property holds the audience).</summary>
    public const string AudienceField = "Audience";

    public CreateBroadcastRequestValidator()
    {
        RuleFor(x => x.Name).NotEmpty().WithProblem("Broadcast_NameRequired")
            .MaximumLength(Broadcast.NameMaxLength);
        RuleFor(x => x.WorkspaceId).NotEmpty().WithProblem("Workspace_Required");
        RuleFor(x => x.MessageTemplate).NotEmpty().WithProblem("Broadcast_MessageRequired")
            .MaximumLength(Broadcast.MessageMaxLength)
            .Must(MessageTemplate.HasBalancedBraces).WithProblem("Template_UnbalancedBraces");
        RuleFor(x => x.PastedNumbers).MaximumLength(CreateBroadcastRequest.PastedNumbersMaxLength);
        RuleFor(x => x).Must(x => x.HasAudience).OverridePropertyName(AudienceField).WithProblem("Broadcast_AudienceRequired");
        RuleFor(x => x.MinDelaySeconds).GreaterThanOrEqualTo(0);
        RuleFor(x => x.MaxDelaySeconds).GreaterThanOrEqualTo(x => x.MinDelaySeconds).WithProblem("Broadcast_DelayRange");
        RuleFor(x => x.BatchSize).GreaterThan(0);
        RuleFor(x => x.BatchRestSeconds).GreaterThanOrEqualTo(0);
        RuleFor(x => x.DailyCap).GreaterThan(0);
        RuleFor(x => x.WindowEnd).NotNull().When(x => x.WindowStart is not null).WithProblem("Broadcast_WindowBothEnds");
        RuleFor(x => x.WindowStart).NotNull().When(x => x.WindowEnd is not null).WithProblem("Broadcast_WindowBothEnds");
    }
}
