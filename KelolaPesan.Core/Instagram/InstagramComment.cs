using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Instagram;

/// <summary>A comment received by webhook; unique by comment id because Meta redelivers.</summary>
public class InstagramComment : Entity, IWorkspaceOwned
{
    public const int TextMaxLength = 2200;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public string CommentId { get; set; } = "";
    public string MediaId { get; set; } = "";
    public string? ParentCommentId { get; set; }
    public string CommenterId { get; set; } = "";
    public string? CommenterUsername { get; set; }
    public string Text { get; set; } = "";
    public string WebhookPayload { get; set; } = "";
    public DateTimeOffset CommentedAt { get; set; }
}
