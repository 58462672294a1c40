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
}
