using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Inbox;

/// <summary>
/// Moves chats' stored counters for newly stored messages, inside the caller's transaction: each chat's unread
/// count grows by its messages (an increment in SQL, never read-modify-write, so no count is lost to a concurrent
/// write), its last inbound time and its preview move forward, never back (a late delivery of an older message
/// changes neither; Instagram's 24-hour reply window runs from the last inbound time). A chat with only our own new
/// messages moves its preview alone.
/// Implemented in Data with prepared statements: on the webhook path one EF ExecuteUpdate per chat cost more than
/// storing the messages did.
/// </summary>
public interface IChatCounters
{
    /// <summary>
    /// Returns how many of the chats went from read to unread (for the workspace's unread-chats counter); when
    /// <paramref name="becameUnread"/> is given, those chats' ids are added to it (chats of several workspaces in one call).
    /// </summary>
    Task<int> BumpAsync(IKelolaDb db, IReadOnlyList<ChatBump> bumps, CancellationToken ct, ICollection<Guid>? becameUnread = null);
}

/// <param name="Count">Inbound messages stored for the chat; 0 when only our own were (the preview moves, no counter).</param>
/// <param name="LatestAt">Time of the newest message stored, with <paramref name="LatestPreview"/> its preview.</param>
public sealed record ChatBump(Guid ChatId, int Count, DateTimeOffset LastInboundAt, DateTimeOffset LatestAt, string LatestPreview);
