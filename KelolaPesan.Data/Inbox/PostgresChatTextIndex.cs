using KelolaPesan.Core.Common;
using KelolaPesan.Core.Inbox;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Data.Inbox;

/// <summary>
/// ILIKE over chat names and message texts, answered by the pg_trgm GIN indexes of the PostgreSQL migration
/// (<see cref="PostgresKelolaDbContext"/>): a case-insensitive substring match like SQLite's FTS5 trigram tables.
/// </summary>
public sealed class PostgresChatTextIndex(DbContext context) : IChatTextIndex
{
    /// <summary>A GIN scan is a bitmap of every matching row: no LIMIT stops it early (docs/adr/0024).</summary>
    public bool ReadsEveryHitFirst => true;

    public IQueryable<Guid> ChatsNamed(string term) =>
        context.Database.SqlQuery<Guid>($"""SELECT "Id" AS "Value" FROM "Chats" WHERE "DisplayName" ILIKE {LikePattern.Contains(term)}""");

    public IQueryable<Guid> ChatsWithMessageContaining(string term) =>
        context.Database.SqlQuery<Guid>($"""SELECT "ChatId" AS "Value" FROM "Messages" WHERE "Body" ILIKE {LikePattern.Contains(term)}""");
}
