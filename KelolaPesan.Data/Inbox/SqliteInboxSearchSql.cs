using KelolaPesan.Core.Inbox;
using Microsoft.EntityFrameworkCore.Migrations;

namespace KelolaPesan.Data.Inbox;

/// <summary>
/// Chat-list search on SQLite (docs/adr/0006-inbox-search.md): FTS5 trigram indexes over chat names/numbers and
/// message text, kept in step by triggers so every writer (EF, ExecuteUpdate/Delete, cascades, the erasers) is
/// covered. The FTS rowids are mapped to the entity ids in *SearchRows tables because the entities' own rowids are
/// implicit and may change on VACUUM or a table rebuild. EF's model does not know these objects, so the SQLite
/// Initial migration calls <see cref="Up"/> and <see cref="Down"/> by hand (scripts/squash-migrations.sh re-adds
/// the two calls when the migrations are regenerated). A later migration that changes the SQL must copy it, not
/// edit this class, since the Initial migration must keep creating what it created.
/// </summary>
public static class SqliteInboxSearchSql
{
    /// <summary>The entities whose inserts feed an FTS5 index through the triggers below.</summary>
    public static readonly IReadOnlySet<Type> Indexed = new HashSet<Type> { typeof(Chat), typeof(Message) };

    public static void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE VIRTUAL TABLE "ChatSearch" USING fts5("DisplayName", "PhoneNumber", "ChatId" UNINDEXED, tokenize = 'trigram');
            CREATE TABLE "ChatSearchRows" ("ChatId" TEXT NOT NULL PRIMARY KEY, "RowId" INTEGER NOT NULL) WITHOUT ROWID;
            CREATE VIRTUAL TABLE "MessageSearch" USING fts5("Body", "ChatId" UNINDEXED, tokenize = 'trigram');
            CREATE TABLE "MessageSearchRows" ("MessageId" TEXT NOT NULL PRIMARY KEY, "RowId" INTEGER NOT NULL) WITHOUT ROWID;
            """);

        // Rows that exist already (none in the Initial migration; kept for a later migration that rebuilds the index):
        // number them once, then index them under those numbers.
        migrationBuilder.Sql("""
            INSERT INTO "ChatSearchRows" ("ChatId", "RowId") SELECT "Id", ROW_NUMBER() OVER (ORDER BY rowid) FROM "Chats";
            INSERT INTO "ChatSearch" (rowid, "DisplayName", "PhoneNumber", "ChatId")
                SELECT r."RowId", c."DisplayName", c."PhoneNumber", c."Id" FROM "Chats" c JOIN "ChatSearchRows" r ON r."ChatId" = c."Id";
            INSERT INTO "MessageSearchRows" ("MessageId", "RowId") SELECT "Id", ROW_NUMBER() OVER (ORDER BY rowid) FROM "Messages";
            INSERT INTO "MessageSearch" (rowid, "Body", "ChatId")
                SELECT r."RowId", m."Body", m."ChatId" FROM "Messages" m JOIN "MessageSearchRows" r ON r."MessageId" = m."Id";
            """);

        // Inside a trigger last_insert_rowid() is the row the trigger itself just inserted into the FTS table.
        migrationBuilder.Sql("""
            CREATE TRIGGER "Chats_Search_Insert" AFTER INSERT ON "Chats" BEGIN
                INSERT INTO "ChatSearch" ("DisplayName", "PhoneNumber", "ChatId") VALUES (new."DisplayName", new."PhoneNumber", new."Id");
                INSERT INTO "ChatSearchRows" ("ChatId", "RowId") VALUES (new."Id", last_insert_rowid());
            END;
            """);
        migrationBuilder.Sql("""
            CREATE TRIGGER "Chats_Search_Update" AFTER UPDATE OF "DisplayName", "PhoneNumber" ON "Chats" BEGIN
                UPDATE "ChatSearch" SET "DisplayName" = new."DisplayName", "PhoneNumber" = new."PhoneNumber"
                    WHERE rowid = (SELECT "RowId" FROM "ChatSearchRows" WHERE "ChatId" = old."Id");
            END;
            """);
        migrationBuilder.Sql("""
            CREATE TRIGGER "Chats_Search_Delete" AFTER DELETE ON "Chats" BEGIN
                DELETE FROM "ChatSearch" WHERE rowid = (SELECT "RowId" FROM "ChatSearchRows" WHERE "ChatId" = old."Id");
                DELETE FROM "ChatSearchRows" WHERE "ChatId" = old."Id";
            END;
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
        migrationBuilder.Sql("""
            CREATE TRIGGER "Messages_Search_Delete" AFTER DELETE ON "Messages" BEGIN
                DELETE FROM "MessageSearch" WHERE rowid = (SELECT "RowId" FROM "MessageSearchRows" WHERE "MessageId" = old."Id");
                DELETE FROM "MessageSearchRows" WHERE "MessageId" = old."Id";
            END;
            """);
    }

    public static void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            DROP TRIGGER IF EXISTS "Messages_Search_Delete";
            DROP TRIGGER IF EXISTS "Messages_Search_Update";
            DROP TRIGGER IF EXISTS "Messages_Search_Insert";
            DROP TRIGGER IF EXISTS "Chats_Search_Delete";
            DROP TRIGGER IF EXISTS "Chats_Search_Update";
            DROP TRIGGER IF EXISTS "Chats_Search_Insert";
            DROP TABLE IF EXISTS "MessageSearchRows";
            DROP TABLE IF EXISTS "MessageSearch";
            DROP TABLE IF EXISTS "ChatSearchRows";
            DROP TABLE IF EXISTS "ChatSearch";
            """);
    }
}
