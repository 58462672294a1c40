using KelolaPesan.Core.Realtime;

namespace KelolaPesan.Core.Contacts;

/// <summary>An import moved forward; published on <see cref="Topics.Workspace"/> after every batch and at the end.</summary>
public sealed record ContactImportProgress(
    Guid TenantId, Guid WorkspaceId, Guid ImportId, ImportStatus Status,
    int Processed, int Total, int Created, int Updated, int Skipped, int Rejected) : RealtimeEvent;
