using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Attachments;

namespace KelolaPesan.Core.Inbox;

/// <summary>Who is looking at the inbox: agents see their assigned workspaces and, there, their chats and unassigned ones.</summary>
public sealed record InboxViewer(Guid UserId, UserRole Role)
{
    public bool SeesEverything => Role is UserRole.Owner or UserRole.Manager;
}

/// <summary>Position after the last chat of a page: the list is ordered by (LastMessageAt, Id) descending.</summary>
public sealed record ChatCursor(DateTimeOffset LastMessageAt, Guid Id);

/// <summary>Position before the oldest message of a page: history is ordered by (SentAt, Id).</summary>
public sealed record MessageCursor(DateTimeOffset SentAt, Guid Id);

/// <param name="WorkspaceId">One workspace, or null for every workspace the viewer may see.</param>
/// <param name="Search">Matches the chat's name, its number and the text of its messages.</param>
/// <param name="Resolved">The resolved chats instead of the open ones (the team's queue).</param>
public sealed record ChatListQuery(
    Guid? WorkspaceId,
    string? Search = null,
    bool UnreadOnly = false,
    bool AssignedToMe = false,
    bool UnassignedOnly = false,
    Guid? LabelId = null,
    ChatCursor? After = null,
    int PageSize = ChatListQuery.DefaultPageSize,
    bool Resolved = false)
{
    public const int DefaultPageSize = 30;
    public const int MaxPageSize = 200;
    public const int SearchMaxLength = 100;
}

public sealed record ChatListItem(
    Guid Id,
    Guid WorkspaceId,
    Channel Channel,
    string DisplayName,
    string? PhoneNumber,
    string? Preview,
    DateTimeOffset LastMessageAt,
    int UnreadCount,
    Guid? AssignedUserId)
{
    public ChatCursor Cursor => new(LastMessageAt, Id);

    /// <summary>Who holds the chat, for the list row (filled by the list, not by the chat detail).</summary>
    public string? AssignedUserName { get; init; }

    /// <summary>Marked done: shown as such where a search lists it among the open ones.</summary>
    public bool Resolved { get; init; }

    /// <summary>The chat's labels, for the list row.</summary>
    public IReadOnlyList<LabelView> Labels { get; init; } = [];

    /// <summary>The name, or the number when the customer has no name yet.</summary>
    public string Title => string.IsNullOrWhiteSpace(DisplayName) ? PhoneNumber ?? "?" : DisplayName;
}

public sealed record ChatPage(IReadOnlyList<ChatListItem> Items, ChatCursor? Next);

public sealed record LabelView(Guid Id, string Name, string Color);

public sealed record AssignableUser(Guid Id, string DisplayName);

public sealed record ChatDetail(
    ChatListItem Chat,
    string WorkspaceName,
    string? AssignedUserName,
    IReadOnlyList<LabelView> Labels,
    bool BotPaused)
{
    /// <summary>The customer's last message: on Instagram, replies are allowed within 24 hours of it.</summary>
    public DateTimeOffset? LastInboundAt { get; init; }

    /// <summary>When the chat was marked resolved (null while open) and by whom (null when that account is gone).</summary>
    public DateTimeOffset? ResolvedAt { get; init; }
    public string? ResolvedByName { get; init; }
}

public sealed record AttachmentView(Guid Id, string FileName, string MimeType, long SizeBytes, AttachmentKind Kind)
{
    public bool IsImage => Kind == AttachmentKind.Image;
}

public sealed record MessageView(
    Guid Id,
    Guid ChatId,
    MessageDirection Direction,
    MessageOrigin Origin,
    string? SenderName,
    string Body,
    MessageStatus Status,
    string? Error,
    DateTimeOffset SentAt,
    AttachmentView? Attachment)
{
    public MessageCursor Cursor => new(SentAt, Id);
}

/// <param name="Messages">Oldest first, ready to display top to bottom.</param>
/// <param name="Older">Where the next older page starts, or null when this page reaches the first message.</param>
public sealed record MessagePage(IReadOnlyList<MessageView> Messages, MessageCursor? Older);

/// <summary>A file chosen in the composer; the stream is read once.</summary>
public sealed record OutgoingFile(Stream Content, string FileName);

/// <summary>What resolving or reopening a chat did.</summary>
public enum ResolveOutcome
{
    Done,

    /// <summary>It was so already (another tab or person got there first).</summary>
    Unchanged,

    /// <summary>Not resolved: a customer message came in after the newest one the viewer had seen.</summary>
    NewMessage,
}

/// <summary>The chat id is not one the viewer may see (another tenant's, another workspace's, someone else's assigned chat).</summary>
public sealed class ChatNotFoundException(Guid chatId) : Exception($"Chat {chatId} was not found.")
{
    public Guid ChatId { get; } = chatId;
}
