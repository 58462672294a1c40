using KelolaPesan.Core.Audit;

namespace KelolaPesan.Web.Accounts;

public static class CurrentUserAudit
{
    /// <summary>The signed-in user as the audit log records an action they take.</summary>
    public static AuditActor AsAuditActor(this CurrentUser user, string? ipAddress = null) =>
        new(user.IsAdmin ? AuditActorType.Admin : AuditActorType.User, user.UserId, user.DisplayName, ipAddress);
}
