using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>
/// One materialised send: rendered text and an idempotency key fixed before anything is sent.
/// Marked Sending before the gateway call, Sent with the gateway's id after; one found Sending
/// after a crash is Uncertain and reconciled, never resent blindly.
/// </summary>
public class BroadcastRecipient : Entity, IWorkspaceOwned
{
    public const int PhoneMaxLength = 20;
    public const int NameMaxLength = 200;
    public const int IdempotencyKeyMaxLength = 100;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid BroadcastId { get; set; }
    public Guid? ContactId { get; set; }
    public string Phone { get; set; } = "";
    public string? Name { get; set; }
    public string RenderedText { get; set; } = "";
    public string IdempotencyKey { get; set; } = "";
    public int Sequence { get; set; }
    public RecipientStatus Status { get; set; }
    public string? ExternalMessageId { get; set; }
    public string? Error { get; set; }
    public string? SkipReason { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? SendingAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}

public enum RecipientStatus { Pending = 0, Sending = 1, Sent = 2, Delivered = 3, Read = 4, Failed = 5, Skipped = 6, Uncertain = 7 }
