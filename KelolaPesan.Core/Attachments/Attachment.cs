using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Attachments;

/// <summary>
/// A stored file. The bytes live in the attachment store under a random <see cref="StorageKey"/>;
/// the original name is kept only for display and a safe Content-Disposition.
/// </summary>
public class Attachment : Entity, IWorkspaceOwned, ISoftDeletable
{
    public const int FileNameMaxLength = 255;
    public const int MimeTypeMaxLength = 127;
    public const int StorageKeyMaxLength = 200;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public string OriginalFileName { get; set; } = "";
    public string StoredFileName { get; set; } = "";
    public string MimeType { get; set; } = "application/octet-stream";
    public long SizeBytes { get; set; }
    public string StorageKey { get; set; } = "";
    public AttachmentKind Kind { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
}

public enum AttachmentKind { File = 0, Image = 1, Video = 2, Audio = 3, Document = 4 }
