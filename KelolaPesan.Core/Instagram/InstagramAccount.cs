using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Instagram;

/// <summary>The Instagram professional account connected to a workspace. The token is stored encrypted.</summary>
public class InstagramAccount : Entity, IWorkspaceOwned
{
    public const int IdMaxLength = 40;
    public const int UsernameMaxLength = 100;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }

    /// <summary>The Instagram user id (17 digits, kept as text); webhooks carry it as <c>entry.id</c>.</summary>
    public string InstagramUserId { get; set; } = "";
    public string Username { get; set; } = "";
    public string? DisplayName { get; set; }
    public string? ProfilePictureUrl { get; set; }
    public string? AccessTokenEncrypted { get; set; }
    public DateTimeOffset? TokenExpiresAt { get; set; }
    public DateTimeOffset? TokenRefreshedAt { get; set; }
    public string Permissions { get; set; } = "";
    public InstagramConnectionStatus Status { get; set; }
    public string? StatusReason { get; set; }
    public DateTimeOffset? ConnectedAt { get; set; }
}

public enum InstagramConnectionStatus { Connected = 0, Disconnected = 1, TokenExpired = 2 }
