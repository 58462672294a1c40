using FluentValidation;

namespace KelolaPesan.Core.Workspaces;

/// <summary>What a manager types when creating or editing a workspace.</summary>
public sealed class WorkspaceInput
{
    public string Name { get; set; } = "";
    public string? Label { get; set; }
}

public sealed class WorkspaceInputValidator : AbstractValidator<WorkspaceInput>
{
    public WorkspaceInputValidator()
    {
        RuleFor(x => x.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithErrorCode("Workspace_NameRequired")
            .WithMessage("Enter a name.");
        RuleFor(x => x.Name).MaximumLength(Workspace.NameMaxLength).WithErrorCode("Workspace_NameTooLong")
            .WithMessage($"The name may have at most {Workspace.NameMaxLength} characters.");
        RuleFor(x => x.Label).MaximumLength(Workspace.LabelMaxLength).WithErrorCode("Workspace_LabelTooLong")
            .WithMessage($"The label may have at most {Workspace.LabelMaxLength} characters.");
    }
}
