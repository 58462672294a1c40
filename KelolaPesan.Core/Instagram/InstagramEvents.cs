using KelolaPesan.Core.Realtime;

namespace KelolaPesan.Core.Instagram;

/// <summary>A comment was stored or one of its replies changed status; published on the workspace topic.</summary>
public sealed record InstagramCommentsChanged(Guid TenantId, Guid WorkspaceId) : RealtimeEvent;
