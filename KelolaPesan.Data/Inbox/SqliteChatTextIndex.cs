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

    /// <summary>An FTS5 string: every character literal (a trigram phrase is a plain substring), quotes doubled.</summary>
    public static string Phrase(string value) => "\"" + value.Replace("\"", "\"\"") + "\"";
}
