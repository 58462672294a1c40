namespace KelolaPesan.Core.Inbox;

/// <summary>
/// A provider's full-text index over chat names and message texts (SQLite: the FTS5 trigram tables, docs/adr/0006).
/// Its SQL lives in Data; <see cref="ChatSearch"/> only asks it for ids.
/// </summary>
public interface IChatTextIndex
{
    /// <summary>
    /// The ids of chats whose name contains <paramref name="term"/> case-insensitively. The term has at least
    /// <see cref="ChatSearch.MinFullTextLength"/> characters.
    /// </summary>
    IQueryable<Guid> ChatsNamed(string term);

    /// <summary>
    /// The ids of chats with a message whose text contains <paramref name="term"/> case-insensitively; one id per
    /// message, so an id may repeat. The term has at least <see cref="ChatSearch.MinFullTextLength"/> characters.
    /// </summary>
    IQueryable<Guid> ChatsWithMessageContaining(string term);

    /// <summary>
    /// True where the index must find every hit before a LIMIT can stop it (PostgreSQL's GIN answers with a bitmap
    /// of all matching rows, each rechecked): collecting a common term's hits then costs the whole table, so
    /// <see cref="ChatSearch"/> first looks whether the term is common. SQLite's FTS5 streams its matches and stops.
    /// </summary>
    bool ReadsEveryHitFirst => false;
}
