namespace KelolaPesan.Core.ExternalApi;

/// <summary>Audit action names of the REST API (kept here so the shared AuditActions list merges cleanly).</summary>
public static class ApiAuditActions
{
    public const string KeyCreated = "api.key-created";
    public const string KeyRevoked = "api.key-revoked";
    public const string MessageSent = "api.message-sent";
    public const string ContactCreated = "api.contact-created";
    public const string ContactUpdated = "api.contact-updated";
    public const string ContactDeleted = "api.contact-deleted";
    public const string ContactAddedToList = "api.contact-added-to-list";
    public const string ContactRemovedFromList = "api.contact-removed-from-list";
    public const string BroadcastCreated = "api.broadcast-created";
    public const string BroadcastStarted = "api.broadcast-started";
    public const string BroadcastPaused = "api.broadcast-paused";
}
