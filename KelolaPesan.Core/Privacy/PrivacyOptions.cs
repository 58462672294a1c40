namespace KelolaPesan.Core.Privacy;

/// <summary>Retention periods and the export download window (<c>Privacy</c> section of configuration).</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>How long a finished export can be downloaded before the retention job removes file and row.</summary>
    public int ExportHours { get; set; } = 24;

    public RetentionOptions Retention { get; set; } = new();
}

public sealed class RetentionOptions
{
    /// <summary>Rows marked deleted (contacts, chats, workspaces, ...) are purged for good after this many days.</summary>
    public int SoftDeletedDays { get; set; } = 30;

    /// <summary>Raw inbound webhook payloads, once processed.</summary>
    public int WebhookPayloadDays { get; set; } = 7;

    /// <summary>Workspace error records (WorkspaceEvent).</summary>
    public int ErrorLogDays { get; set; } = 90;

    /// <summary>Stored first results of REST API calls made with an Idempotency-Key; a repeat after this is a new call.</summary>
    public int IdempotencyRecordHours { get; set; } = 24;
}

/// <summary>Audit action names of this feature (kept here so the shared AuditActions list merges cleanly).</summary>
public static class PrivacyAuditActions
{
    public const string ExportRequested = "privacy.export-requested";
    public const string ExportCompleted = "privacy.export-completed";
    public const string ExportDownloaded = "privacy.export-downloaded";
    public const string DeletionRequested = "privacy.deletion-requested";
    public const string DeletionCompleted = "privacy.deletion-completed";
    public const string DeletionFailed = "privacy.deletion-failed";
    public const string RetentionPurged = "privacy.retention-purged";
    public const string ChatRenamed = "privacy.chat-renamed";
    public const string AdminViewedTenantData = "privacy.admin-viewed-tenant-data";
}
