using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Instagram;

/// <summary>A post or reel of the connected account, cached for the media browser and automations.</summary>
public class InstagramMedia : Entity, IWorkspaceOwned
{
    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public string MediaId { get; set; } = "";
    public string? Caption { get; set; }
    public string? Permalink { get; set; }
    public string? MediaType { get; set; }
    public string? ThumbnailUrl { get; set; }
    public int CommentsCount { get; set; }
    public DateTimeOffset? PostedAt { get; set; }
}
