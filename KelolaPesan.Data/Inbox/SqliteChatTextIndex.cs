using System.Linq.Expressions;
using KelolaPesan.Core.Inbox;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Data.Inbox;

/// <summary>
/// The FTS5 trigram tables the SQLite migration keeps in step with chats and messages (docs/adr/0006-inbox-search.md):
/// a phrase of the term is a case-insensitive substring match, answered from the index.
/// </summary>
public sealed class SqliteChatTextIndex(DbContext context) : IChatTextIndex
{
    public IQueryable<Guid> ChatsNamed(string term) =>
        context.Database.SqlQuery<Guid>($"""SELECT "ChatId" AS "Value" FROM "ChatSearch" WHERE "ChatSearch" MATCH {"DisplayName : " + Phrase(term)}""");

    /// <summary>
    /// Newest chats first, and the chat from the hit's row id (docs/adr/0039), not from the index's stored column: the
    /// hits of one chat are adjacent, and a common term's hits in old chats of ten thousand messages each would
    /// otherwise be read one by one (a stored-column read each) before the collecting step met its thousand chats.
    /// </summary>
    public IQueryable<Guid> ChatsWithMessageContaining(string term) =>
        context.Database.SqlQuery<Guid>($"""
            SELECT r."ChatId" AS "Value" FROM "MessageSearch" s JOIN "ChatSearchRows" r ON r."RowId" = s.rowid / {SqliteMessageSearchByChatSql.ChatSpan}
            WHERE "MessageSearch" MATCH {Phrase(term)} ORDER BY s.rowid DESC
            """);

    /// <summary>
    /// The chat's own range of message rows (docs/adr/0039): SQLite flattens both subqueries, so FTS5 is asked for the
    /// phrase with the range's bounds and seeks straight into it, for a chat of ten thousand messages as for one of ten.
    /// </summary>
    public Expression<Func<Chat, bool>> ChatHasMessageContaining(string term)
    {
        var chats = context.Database.SqlQuery<ChatRows>(
            $"""SELECT "ChatId", "RowId" * {SqliteMessageSearchByChatSql.ChatSpan} AS "First", ("RowId" + 1) * {SqliteMessageSearchByChatSql.ChatSpan} AS "End" FROM "ChatSearchRows" """);
        var hits = context.Database.SqlQuery<long>($"""SELECT rowid AS "Value" FROM "MessageSearch" WHERE "MessageSearch" MATCH {Phrase(term)}""");
        return c => chats.Any(r => r.ChatId == c.Id && hits.Any(h => h > r.First && h < r.End));
    }

    /// <summary>An FTS5 string: every character literal (a trigram phrase is a plain substring), quotes doubled.</summary>
    public static string Phrase(string value) => "\"" + value.Replace("\"", "\"\"") + "\"";

    /// <summary>A chat's number as its range of message rows in the index: (<see cref="First"/>, <see cref="End"/>), both exclusive.</summary>
    private sealed class ChatRows
    {
        public Guid ChatId { get; set; }
        public long First { get; set; }
        public long End { get; set; }
    }
}
