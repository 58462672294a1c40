namespace KelolaPesan.Core.Instagram;

/// <summary>Sends a DM as a workspace's connected Instagram account (the inbox and the bot use it for Instagram chats).</summary>
public interface IInstagramMessenger
{
    /// <summary>Returns the Graph message id; throws with a message fit for the agent when Instagram refuses.</summary>
    Task<string> SendDirectAsync(Guid tenantId, Guid workspaceId, string recipientId, string text, CancellationToken ct = default);

    /// <summary>
    /// Sends a stored attachment (Meta fetches it through a signed link) after its caption, if any, as a text DM of its
    /// own: Instagram's file messages carry no text. Returns the file message's id.
    /// </summary>
    Task<string> SendDirectAttachmentAsync(Guid tenantId, Guid workspaceId, string recipientId, InstagramAttachmentType type, Guid attachmentId,
        string fileName, string? caption, CancellationToken ct = default);
}
