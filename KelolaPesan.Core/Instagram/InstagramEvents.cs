using KelolaPesan.Core.Realtime;

namespace KelolaPesan.Core.Instagram;

/// <summary>A comment was stored or one of its replies changed status; published on the workspace topic.</summary>
public sealed record InstagramCommentsChanged(Guid TenantId, Guid WorkspaceId) : RealtimeEvent;

/// <summary>
/// A workspace's Instagram account changed its connection (connected, disconnected, token refused or expired,
/// deauthorized by Meta, erased); published on the tenant topic, like WhatsApp's <see cref="WorkspaceStatusChanged"/>.
/// <paramref name="Status"/> is null when the account row went away with its history.
/// </summary>
public sealed record InstagramStatusChanged(Guid TenantId, Guid WorkspaceId, InstagramConnectionStatus? Status) : RealtimeEvent;
