using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Audit;

/// <summary>Writes audit entries in their own short-lived context, so a failed operation is still recorded.</summary>
public sealed class AuditLog(IKelolaDbFactory dbFactory, TimeProvider clock)
{
    public async Task WriteAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        db.AuditEntries.Add(new AuditEntry
        {
            TenantId = record.TenantId,
            At = clock.GetUtcNow(),
            ActorType = record.ActorType,
            ActorId = record.ActorId,
            ActorName = Truncate(record.ActorName, AuditEntry.ActorMaxLength),
            Action = record.Action,
            TargetType = record.TargetType,
            TargetId = record.TargetId,
            Details = record.Details is null ? null : Truncate(record.Details, AuditEntry.DetailsMaxLength),
            IpAddress = record.IpAddress,
            Succeeded = record.Succeeded,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task WriteAsync(string action, AuditActor actor, Guid? tenantId = null, string? targetType = null, string? targetId = null,
        string? details = null, CancellationToken cancellationToken = default) =>
        WriteAsync(new AuditRecord(action, actor.Type, actor.Name, actor.Id, tenantId, targetType, targetId, details, actor.IpAddress), cancellationToken);

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}

public sealed record AuditRecord(
    string Action,
    AuditActorType ActorType,
    string ActorName,
    Guid? ActorId = null,
    Guid? TenantId = null,
    string? TargetType = null,
    string? TargetId = null,
    string? Details = null,
    string? IpAddress = null,
    bool Succeeded = true);

/// <summary>Audit action names, one place so filters in the audit page match what is written.</summary>
public static class AuditActions
{
    public const string SignIn = "auth.sign-in";
    public const string SignInFailed = "auth.sign-in-failed";
    public const string SignOut = "auth.sign-out";
    public const string AdminCreated = "admin.created";
    public const string PreferencesChanged = "user.preferences";
    public const string AdminDisabled = "admin.disabled";
    public const string AdminEnabled = "admin.enabled";
    public const string AdminPasswordChanged = "admin.password-changed";
    public const string PasswordChanged = "user.password-changed";
    public const string LicenceIssued = "licence.issued";
    public const string LicenceCodeRegenerated = "licence.code-regenerated";
    public const string LicenceSuspended = "licence.suspended";
    public const string LicenceReactivated = "licence.reactivated";
    public const string LicenceExtended = "licence.extended";
    public const string LicenceUpdated = "licence.updated";
    public const string AgencyTenantCreated = "agency.tenant-created";
    public const string PolicyChanged = "policy.changed";
    public const string WatermarkChanged = "watermark.changed";
    public const string NotificationTemplateChanged = "notification.template-changed";
    public const string AdminConnectionChanged = "admin.connection-changed";
    public const string AdminBroadcastStarted = "admin.broadcast-started";
    public const string OwnerPhoneChanged = "tenant.owner-phone-changed";

    /// <summary>Every action name, for the audit page's filter: these and the ones features define next to their code.</summary>
    public static IReadOnlyList<string> All { get; } = new[] { typeof(AuditActions), typeof(ExternalApi.ApiAuditActions), typeof(Privacy.PrivacyAuditActions), typeof(Instagram.InstagramAuditActions), typeof(Tenancy.TenancyAuditActions), typeof(Team.TeamAuditActions), typeof(Inbox.InboxAuditActions) }
        .SelectMany(t => t.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order().ToList();
}

/// <summary>Who acts, as the audit log records it; pages build it from the signed-in user.</summary>
public sealed record AuditActor(AuditActorType Type, Guid? Id, string Name, string? IpAddress = null)
{
    public static readonly AuditActor System = new(AuditActorType.System, null, "system");
}
