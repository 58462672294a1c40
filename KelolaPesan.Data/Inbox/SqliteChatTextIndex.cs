using KelolaPesan.Core.Inbox;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Data.Inbox;

/// <summary>
/// The FTS5 trigram tables the SQLite migration keeps in step with chats and messages (docs/adr/0006-inbox-search.md):
/// a phrase of the term is a case-insensitive substring match, answered from the index.
/// </summary>
public sealed class SqliteChatTextIndex(DbContext context) : IChatTextIndex
{
    public IQueryable<Guid> ChatsContaining(string term, bool messages = true)
    {
        var nameMatch = $"DisplayName : {Phrase(term)}";
        if (!messages)
            return context.Database.SqlQuery<Guid>($"""SELECT "ChatId" AS "Value" FROM "ChatSearch" WHERE "ChatSearch" MATCH {nameMatch}""");
        var textMatch = Phrase(term);
        return context.Database.SqlQuery<Guid>(
            $"""
             SELECT "ChatId" AS "Value" FROM "ChatSearch" WHERE "ChatSearch" MATCH {nameMatch}
             UNION ALL SELECT "ChatId" FROM "MessageSearch" WHERE "MessageSearch" MATCH {textMatch}
             """);
    }

    /// <summary>An FTS5 string: every character literal (a trigram phrase is a plain substring), quotes doubled.</summary>
    public static string Phrase(string value) => "\"" + value.Replace("\"", "\"\"") + "\"";
}
