using System.Globalization;
using KelolaPesan.Core.Inbox;
using Microsoft.EntityFrameworkCore.Migrations;

namespace KelolaPesan.Data.Inbox;

/// <summary>
/// The message search index numbered by chat (docs/adr/0039-message-search-rows-by-chat.md): a message's FTS5 row id is
/// its chat's number (<c>ChatSearchRows.RowId</c>) times <see cref="ChatSpan"/> plus a count within the chat, so all the
/// messages of one chat are one range of row ids and "has this chat a message containing the term" is one FTS5 query
/// bounded to that range, a few index seeks however many messages the chat has. Applied after
/// <see cref="SqliteInboxSearchSql"/> (migration <c>SearchRowsByChat</c>; scripts/squash-migrations.sh adds both calls
/// to a squashed Initial). A later change to this SQL is a new migration that copies it, as for that class.
/// </summary>
public static class SqliteMessageSearchByChatSql
{
    /// <summary>
    /// Row ids per chat: 2^28 (268M messages) each, for up to 2^35 chat numbers within SQLite's 64-bit row ids. A chat's
    /// messages take <c>number * ChatSpan + 1</c> upwards.
    /// </summary>
    public const long ChatSpan = 1L << 28;

    private static readonly string Span = ChatSpan.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The index rows of messages that exist already, numbered within their chat and written in row-id order (FTS5
    /// writes a new segment whenever a row id is lower than the one before it in a statement). Also the bench's fill
    /// after a bulk load, with the triggers dropped.
    /// </summary>
    public static readonly string[] FillExisting =
    [
        $"""
        INSERT INTO "MessageSearchRows" ("MessageId", "RowId")
            SELECT m."Id", r."RowId" * {Span} + ROW_NUMBER() OVER (PARTITION BY m."ChatId" ORDER BY m.rowid)
            FROM "Messages" m JOIN "ChatSearchRows" r ON r."ChatId" = m."ChatId";
        """,
        $"""
        INSERT INTO "MessageSearch" (rowid, "Body", "ChatId")
            SELECT s."RowId", m."Body", m."ChatId" FROM "MessageSearchRows" s JOIN "Messages" m ON m."Id" = s."MessageId" ORDER BY s."RowId";
        """,
    ];

    /// <summary>
    /// Messages in their chats' order (chat ids are time-ordered, as the chats' numbers are), so that a many-row INSERT
    /// gives the index ascending row ids: FTS5 writes its pending terms as a new segment whenever a row id is lower than
    /// the one before, and a webhook batch of 64 messages over 40 chats would otherwise write up to 40 small segments
    /// where it wrote one (docs/adr/0006 addendum). Only the speed depends on this order, never what is found.
    /// </summary>
    public static IReadOnlyList<T> InIndexOrder<T>(IReadOnlyList<T> rows) =>
        rows is IReadOnlyList<Message> { Count: > 1 } messages ? (IReadOnlyList<T>)messages.OrderBy(m => m.ChatId).ToList() : rows;

    // The next number in the message's chat: one seek on the FTS5 content table's integer key (a plain table; read
    // directly so no FTS5 cursor is opened inside the insert). A chat without a search row is refused rather than
    // numbered by FTS5 itself, which would put the message in the range of the newest chat.
    private static readonly string InsertIntoIndex = $"""
            SELECT RAISE(ABORT, 'MessageSearch: the chat of the message has no ChatSearchRows row')
                WHERE NOT EXISTS (SELECT 1 FROM "ChatSearchRows" WHERE "ChatId" = new."ChatId");
            INSERT INTO "MessageSearch" (rowid, "Body", "ChatId")
                SELECT coalesce((SELECT max(c."id") FROM "MessageSearch_content" c
                                 WHERE c."id" > r."RowId" * {Span} AND c."id" < (r."RowId" + 1) * {Span}),
                                r."RowId" * {Span}) + 1, new."Body", new."ChatId"
                FROM "ChatSearchRows" r WHERE r."ChatId" = new."ChatId";
            INSERT INTO "MessageSearchRows" ("MessageId", "RowId") VALUES (new."Id", last_insert_rowid());
        """;

    public static void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            DROP TRIGGER "Messages_Search_Insert";
            DROP TRIGGER "Messages_Search_Update";
            DROP TABLE "MessageSearch";
            DELETE FROM "MessageSearchRows";
            CREATE VIRTUAL TABLE "MessageSearch" USING fts5("Body", "ChatId" UNINDEXED, tokenize = 'trigram');
            CREATE UNIQUE INDEX "IX_ChatSearchRows_RowId" ON "ChatSearchRows" ("RowId");
            """);
        foreach (var statement in FillExisting)
            migrationBuilder.Sql(statement);
        migrationBuilder.Sql($"""
            CREATE TRIGGER "Messages_Search_Insert" AFTER INSERT ON "Messages" BEGIN
            {InsertIntoIndex}
            END;
            """);
        // A message moved to another chat moves to that chat's range: removed and numbered again (edits go the same way).
        migrationBuilder.Sql($"""
            CREATE TRIGGER "Messages_Search_Update" AFTER UPDATE OF "Body", "ChatId" ON "Messages" BEGIN
                DELETE FROM "MessageSearch" WHERE rowid = (SELECT "RowId" FROM "MessageSearchRows" WHERE "MessageId" = old."Id");
                DELETE FROM "MessageSearchRows" WHERE "MessageId" = old."Id";
            {InsertIntoIndex}
            END;
            """);
    }

    /// <summary>Back to <see cref="SqliteInboxSearchSql"/>'s numbering (one sequence for all messages) and triggers.</summary>
    public static void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            DROP INDEX "IX_ChatSearchRows_RowId";
            DROP TRIGGER "Messages_Search_Insert";
            DROP TRIGGER "Messages_Search_Update";
            DROP TABLE "MessageSearch";
            DELETE FROM "MessageSearchRows";
            CREATE VIRTUAL TABLE "MessageSearch" USING fts5("Body", "ChatId" UNINDEXED, tokenize = 'trigram');
            INSERT INTO "MessageSearchRows" ("MessageId", "RowId") SELECT "Id", ROW_NUMBER() OVER (ORDER BY rowid) FROM "Messages";
            INSERT INTO "MessageSearch" (rowid, "Body", "ChatId")
                SELECT r."RowId", m."Body", m."ChatId" FROM "Messages" m JOIN "MessageSearchRows" r ON r."MessageId" = m."Id";
            """);
        migrationBuilder.Sql("""
            CREATE TRIGGER "Messages_Search_Insert" AFTER INSERT ON "Messages" BEGIN
                INSERT INTO "MessageSearch" ("Body", "ChatId") VALUES (new."Body", new."ChatId");
                INSERT INTO "MessageSearchRows" ("MessageId", "RowId") VALUES (new."Id", last_insert_rowid());
            END;
            """);
        migrationBuilder.Sql("""
            CREATE TRIGGER "Messages_Search_Update" AFTER UPDATE OF "Body", "ChatId" ON "Messages" BEGIN
                UPDATE "MessageSearch" SET "Body" = new."Body", "ChatId" = new."ChatId"
                    WHERE rowid = (SELECT "RowId" FROM "MessageSearchRows" WHERE "MessageId" = old."Id");
            END;
            """);
    }
}
