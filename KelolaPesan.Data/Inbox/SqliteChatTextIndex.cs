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

    public IQueryable<Guid> ChatsWithMessageContaining(string term) =>
        context.Database.SqlQuery<Guid>($"""SELECT "ChatId" AS "Value" FROM "MessageSearch" WHERE "MessageSearch" MATCH {Phrase(term)}""");

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
