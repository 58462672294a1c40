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

/// <summary>
/// A team entry's details: "Member: Wati; Username: wati; Role: Agent -> Manager; WorkspacesRemoved: Toko Utama", fields
/// joined as <see cref="AuditChanges"/> joins them. The stored text stays one language for search; the audit page shows
/// it as sentences in the reader's language that name the member and the workspaces ("Role of Wati: Agent -> Manager").
/// Removing a member erases these details with the rest of their entries (docs/privacy-map.md).
/// </summary>
public static class TeamAuditDetails
{
    public const string Member = "Member";
    public const string Username = "Username";
    public const string Role = "Role";
    public const string Workspaces = "Workspaces";
    public const string WorkspacesAdded = "WorkspacesAdded";
    public const string WorkspacesRemoved = "WorkspacesRemoved";

    /// <summary>The removal of a member: their role only, their name and username are erased with them.</summary>
    public const string FormerMember = "FormerMember";

    /// <summary>The member's name and username, then each part that has a value (an empty list of workspaces is left out).</summary>
    public static string Of(string displayName, string username, params (string Field, string? Value)[] parts) =>
        string.Join(AuditChanges.Separator, new (string Field, string? Value)[] { (Member, displayName), (Username, username) }.Concat(parts)
            .Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Field}: {p.Value}"));

    public static string? Names(IEnumerable<string> names) => names.Any() ? string.Join(", ", names.Order(StringComparer.CurrentCultureIgnoreCase)) : null;
}
