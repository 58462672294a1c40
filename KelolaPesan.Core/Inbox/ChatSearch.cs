using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Inbox;

/// <summary>
/// The chat list's search: a case-insensitive substring of the chat's name, of its number (typed in any format) or
/// of the text of any of its messages. On SQLite it reads the FTS5 trigram indexes the migration keeps in step with
/// the tables (docs/adr/0006-inbox-search.md); elsewhere, and for terms shorter than a trigram, it falls back to LIKE.
/// It only narrows the chats it is given, so tenant, workspace and assignment filters apply as before.
/// </summary>
internal static class ChatSearch
{
    private const string SqliteProvider = "Microsoft.EntityFrameworkCore.Sqlite";
    private const string LikeEscape = "\\";

    /// <summary>A trigram index cannot answer fewer than three characters.</summary>
    internal const int MinFullTextLength = 3;

    public static IQueryable<Chat> Apply(IKelolaDb db, IQueryable<Chat> chats, string? search) =>
        Apply(db, chats, search, db.Database.ProviderName == SqliteProvider);

    internal static IQueryable<Chat> Apply(IKelolaDb db, IQueryable<Chat> chats, string? search, bool fullText)
    {
        search = search?.Trim();
        if (string.IsNullOrEmpty(search))
            return chats;
        if (search.Length > ChatListQuery.SearchMaxLength)
            search = search[..ChatListQuery.SearchMaxLength];
        var digits = PhoneDigits(search);

        if (!fullText)
            return Like(db, chats, search, digits, messages: true);
        if (search.Length < MinFullTextLength)
            // One or two letters match almost every message; only names and numbers are worth looking at.
            return Like(db, chats, search, digits, messages: false);

        var chatMatch = $"DisplayName : {Phrase(search)}" + (digits is null ? "" : $" OR PhoneNumber : {Phrase(digits)}");
        var messageMatch = Phrase(search);
        var hits = db.Database.SqlQuery<Guid>(
            $"""
             SELECT "ChatId" AS "Value" FROM "ChatSearch" WHERE "ChatSearch" MATCH {chatMatch}
             UNION SELECT "ChatId" FROM "MessageSearch" WHERE "MessageSearch" MATCH {messageMatch}
             """);
        return chats.Where(c => hits.Contains(c.Id));
    }

    private static IQueryable<Chat> Like(IKelolaDb db, IQueryable<Chat> chats, string search, string? digits, bool messages)
    {
        var pattern = "%" + EscapeLike(search) + "%";
        var phone = digits is null ? null : "%" + digits + "%";
        return messages
            ? chats.Where(c => EF.Functions.Like(c.DisplayName, pattern, LikeEscape)
                               || (phone != null && EF.Functions.Like(c.PhoneNumber!, phone, LikeEscape))
                               || db.Messages.Any(m => m.ChatId == c.Id && EF.Functions.Like(m.Body, pattern, LikeEscape)))
            : chats.Where(c => EF.Functions.Like(c.DisplayName, pattern, LikeEscape)
                               || (phone != null && EF.Functions.Like(c.PhoneNumber!, phone, LikeEscape)));
    }

    /// <summary>An FTS5 string: every character literal (a trigram phrase is a plain substring), quotes doubled.</summary>
    internal static string Phrase(string value) => "\"" + value.Replace("\"", "\"\"") + "\"";

    private static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    /// <summary>"0812-3456" and "+62 812 3456" both find +628123456...: numbers are stored in E.164.</summary>
    internal static string? PhoneDigits(string search)
    {
        if (!search.All(ch => char.IsAsciiDigit(ch) || ch is ' ' or '+' or '-' or '(' or ')' or '.'))
            return null;
        var digits = string.Concat(search.Where(char.IsAsciiDigit));
        if (digits.Length < 3)
            return null;
        return digits.StartsWith('0') ? "62" + digits[1..] : digits;
    }
}
