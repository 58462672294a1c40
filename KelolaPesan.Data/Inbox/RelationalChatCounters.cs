using KelolaPesan.Core.Common;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Data.Inbox;

/// <summary>
/// <see cref="IChatCounters"/> with two prepared UPDATEs, re-bound per chat: an increment for a chat already unread (the
/// usual case in a conversation), else setting the count on a read one, which is how a chat is known to have become
/// unread; a third moves only the preview of a chat with our own messages alone. The first two open a resolved chat
/// again. Standard SQL, the same on SQLite and SQL Server.
/// </summary>
public sealed class RelationalChatCounters : IChatCounters
{
    public async Task<int> BumpAsync(IKelolaDb db, IReadOnlyList<ChatBump> bumps, CancellationToken ct, ICollection<Guid>? becameUnread = null)
    {
        var context = (DbContext)db;
        if (bumps.Count == 0)
            return 0;
        if (context.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Chat counters move inside the transaction that stores their messages.");

        await using var increment = new ModelCommand<Chat>(context);
        await using var firstUnread = new ModelCommand<Chat>(context);
        await using var previewOnly = new ModelCommand<Chat>(context);
        // Each statement prepared only when a chat needs it: the echoes of a paced broadcast's sends come in batches of their own.
        var counted = bumps.Any(b => b.Count > 0);
        var bindIncrement = counted ? await PrepareAsync(increment, $"{increment.Column(nameof(Chat.UnreadCount))} + @count", "> 0", ct) : null;
        var bindFirst = counted ? await PrepareAsync(firstUnread, "@count", "= 0", ct) : null;
        var bindPreview = bumps.Any(b => b.Count == 0) ? await PreparePreviewAsync(previewOnly, ct) : null;

        var unread = 0;
        foreach (var bump in bumps)
        {
            if (bump.Count == 0)
            {
                bindPreview!(bump);
                await previewOnly.ExecuteAsync(ct);
                continue;
            }
            // A mark-read between the two statements (SQL Server lets one in) is caught by the next round.
            for (var attempt = 0; attempt < 3; attempt++)
            {
                bindIncrement!(bump);
                if (await increment.ExecuteAsync(ct) == 1)
                    break;
                bindFirst!(bump);
                if (await firstUnread.ExecuteAsync(ct) == 1)
                {
                    unread++;
                    becameUnread?.Add(bump.ChatId);
                    break;
                }
            }
        }
        return unread;
    }

    /// <summary>The preview and time of the newest message, when not older than the chat's; no counter moves.</summary>
    private static async Task<Action<ChatBump>> PreparePreviewAsync(ModelCommand<Chat> command, CancellationToken ct)
    {
        var id = command.Parameter("@id", nameof(Chat.Id));
        var latest = command.Parameter("@latest", nameof(Chat.LastMessageAt));
        var preview = command.Parameter("@preview", nameof(Chat.LastMessagePreview));
        string C(string property) => command.Column(property);
        await command.PrepareAsync(
            $"UPDATE {command.Table} SET {C(nameof(Chat.LastMessagePreview))} = @preview, {C(nameof(Chat.LastMessageAt))} = @latest " +
            $"WHERE {C(nameof(Chat.Id))} = @id AND {C(nameof(Chat.LastMessageAt))} <= @latest", ct);
        return bump =>
        {
            id(bump.ChatId);
            latest(bump.LatestAt);
            preview(bump.LatestPreview);
        };
    }

    private static async Task<Action<ChatBump>> PrepareAsync(ModelCommand<Chat> command, string newCount, string unreadCondition, CancellationToken ct)
    {
        var id = command.Parameter("@id", nameof(Chat.Id));
        var count = command.Parameter("@count", nameof(Chat.UnreadCount));
        var inbound = command.Parameter("@inbound", nameof(Chat.LastInboundAt));
        var latest = command.Parameter("@latest", nameof(Chat.LastMessageAt));
        var preview = command.Parameter("@preview", nameof(Chat.LastMessagePreview));
        string C(string property) => command.Column(property);
        var newer = $"{C(nameof(Chat.LastMessageAt))} <= @latest";
        await command.PrepareAsync(
            $"UPDATE {command.Table} SET {C(nameof(Chat.UnreadCount))} = {newCount}, " +
            $"{C(nameof(Chat.LastInboundAt))} = CASE WHEN {C(nameof(Chat.LastInboundAt))} IS NULL OR {C(nameof(Chat.LastInboundAt))} < @inbound " +
            $"THEN @inbound ELSE {C(nameof(Chat.LastInboundAt))} END, " +
            $"{C(nameof(Chat.LastMessagePreview))} = CASE WHEN {newer} THEN @preview ELSE {C(nameof(Chat.LastMessagePreview))} END, " +
            $"{C(nameof(Chat.LastMessageAt))} = CASE WHEN {newer} THEN @latest ELSE {C(nameof(Chat.LastMessageAt))} END, " +
            // The customer wrote again: a resolved conversation is open again, back in the team's queue.
            $"{C(nameof(Chat.ResolvedAt))} = NULL, {C(nameof(Chat.ResolvedByUserId))} = NULL " +
            $"WHERE {C(nameof(Chat.Id))} = @id AND {C(nameof(Chat.UnreadCount))} {unreadCondition}", ct);
        return bump =>
        {
            id(bump.ChatId);
            count(bump.Count);
            inbound(bump.LastInboundAt);
            latest(bump.LatestAt);
            preview(bump.LatestPreview);
        };
    }
}
