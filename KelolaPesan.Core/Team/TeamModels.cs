using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Audit;

namespace KelolaPesan.Core.Team;

/// <summary>Who acts on the team page: the signed-in user's id and role, and how the audit log names them.</summary>
public sealed record TeamActor(Guid UserId, UserRole Role, AuditActor Audit);

public sealed record WorkspaceRef(Guid Id, string Name);

public sealed record TeamMember(
    Guid Id, string Username, string DisplayName, UserRole Role, bool IsActive, DateTimeOffset? LastLoginAt,
    IReadOnlyList<WorkspaceRef> Workspaces);

/// <summary>The team page's data: members, the workspaces they can be given, the tenant's time zone and the user cap.</summary>
public sealed record TeamView(
    IReadOnlyList<TeamMember> Members, IReadOnlyList<WorkspaceRef> Workspaces, string TimeZone, int ActiveUsers, int? MaxUsers);

public enum TeamOutcome { Done, NotFound, NotAllowed, UsernameTaken, UserLimitReached }

/// <summary>
/// The answer of a team change. <see cref="Password"/> is set only when the service generated one (add, reset): it exists
/// nowhere else and is shown once. <see cref="Error"/> is the localised message for any outcome but Done.
/// </summary>
public sealed record TeamResult(TeamOutcome Outcome, Guid? UserId = null, string? Password = null, string? Error = null)
{
    public bool Succeeded => Outcome == TeamOutcome.Done;

    public static TeamResult Fail(TeamOutcome outcome, string error) => new(outcome, Error: error);
}

public static class TeamAuditActions
{
    public const string UserAdded = "team.user-added";
    public const string AccessChanged = "team.user-access-changed";
    public const string UserDeactivated = "team.user-deactivated";
    public const string UserReactivated = "team.user-reactivated";
    public const string PasswordReset = "team.password-reset";
    public const string UserDeleted = "team.user-deleted";
}
