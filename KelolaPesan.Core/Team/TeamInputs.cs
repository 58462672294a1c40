using FluentValidation;
using KelolaPesan.Core.Accounts;

namespace KelolaPesan.Core.Team;

/// <summary>A new team member as the owner (or a manager, for agents) types it on the team page or any API.</summary>
public sealed class NewMemberInput
{
    public string Username { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public UserRole Role { get; set; } = UserRole.Agent;
    public List<Guid> WorkspaceIds { get; set; } = [];

    /// <summary>True: the service generates the initial password and returns it once. False: <see cref="Password"/> is used.</summary>
    public bool GeneratePassword { get; set; } = true;

    public string Password { get; set; } = "";
}

/// <summary>The role and workspaces of an existing member.</summary>
public sealed class MemberAccessInput
{
    public UserRole Role { get; set; } = UserRole.Agent;
    public List<Guid> WorkspaceIds { get; set; } = [];
}

public sealed class NewMemberInputValidator : AbstractValidator<NewMemberInput>
{
    public NewMemberInputValidator()
    {
        RuleFor(x => x.Username).UsernameRule();
        RuleFor(x => x.DisplayName).DisplayNameRule();
        RuleFor(x => x.Role).TeamRoleRule();
        RuleFor(x => x.Password).Password(x => [x.Username]).When(x => !x.GeneratePassword);
    }
}

public sealed class MemberAccessInputValidator : AbstractValidator<MemberAccessInput>
{
    public MemberAccessInputValidator()
    {
        RuleFor(x => x.Role).TeamRoleRule();
    }
}

/// <summary>Rules shared by the team inputs and the own-account form.</summary>
public static class TeamRules
{
    public const int UsernameMinLength = 2;
    private const string UsernamePattern = "^[a-zA-Z0-9._-]+$";

    public static IRuleBuilderOptions<T, string> UsernameRule<T>(this IRuleBuilderInitial<T, string> rule) =>
        rule.Cascade(CascadeMode.Stop)
            .Must(u => !string.IsNullOrWhiteSpace(u)).WithMessage(_ => AccountText.Get("Username_Required"))
            .Must(u => u.Trim().Length is >= UsernameMinLength and <= AppUser.UsernameMaxLength
                       && System.Text.RegularExpressions.Regex.IsMatch(u.Trim(), UsernamePattern))
            .WithMessage(_ => AccountText.Format("Username_Format", UsernameMinLength, AppUser.UsernameMaxLength));

    public static IRuleBuilderOptions<T, string> DisplayNameRule<T>(this IRuleBuilderInitial<T, string> rule) =>
        rule.Cascade(CascadeMode.Stop)
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage(_ => AccountText.Get("DisplayName_Required"))
            .Must(n => n.Trim().Length <= AppUser.DisplayNameMaxLength)
            .WithMessage(_ => AccountText.Format("DisplayName_TooLong", AppUser.DisplayNameMaxLength));

    public static IRuleBuilderOptions<T, UserRole> TeamRoleRule<T>(this IRuleBuilderInitial<T, UserRole> rule) =>
        rule.Must(r => r is UserRole.Manager or UserRole.Agent).WithMessage(_ => AccountText.Get("Team_RoleNotAllowed"));

    /// <summary>
    /// Who may change whom (docs/adr/0012): the owner manages managers and agents; a manager manages agents only and
    /// cannot make anyone a manager; agents manage nobody. Nobody changes the owner or themself here (that is /account).
    /// </summary>
    public static bool CanManage(UserRole actorRole, Guid actorId, Guid targetId, UserRole targetRole) =>
        actorId != targetId && targetRole is UserRole.Manager or UserRole.Agent && CanGrant(actorRole, targetRole);

    /// <summary>Whether the actor may give (or take away) this role.</summary>
    public static bool CanGrant(UserRole actorRole, UserRole role) =>
        actorRole == UserRole.Owner ? role is UserRole.Manager or UserRole.Agent
        : actorRole == UserRole.Manager && role == UserRole.Agent;
}
