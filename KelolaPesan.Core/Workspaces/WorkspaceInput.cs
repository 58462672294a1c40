using FluentValidation;
using KelolaPesan.Core.Common;

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
        RuleFor(x => x.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithProblem("Workspace_NameRequired");
        RuleFor(x => x.Name).MaximumLength(Workspace.NameMaxLength).WithProblem("Workspace_NameTooLong", Workspace.NameMaxLength);
        RuleFor(x => x.Label).MaximumLength(Workspace.LabelMaxLength).WithProblem("Workspace_LabelTooLong", Workspace.LabelMaxLength);
    }
}
