using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Inbox;

/// <summary>
/// The chat list's search: a case-insensitive substring of the chat's name or of the text of any of its messages,
/// or a number (typed in any format) that the chat's number starts or ends with. Where the provider has a full-text
/// index (<see cref="IKelolaDb.ChatTextIndex"/>; SQLite's FTS5 trigram tables), text is looked up there, numbers in ordinary indexes on the number
/// and its reversed copy (docs/adr/0006-inbox-search.md); elsewhere, and for terms shorter than a trigram, LIKE.
/// It only narrows the chats it is given, so tenant, workspace and assignment filters apply as before.
/// </summary>
internal static class ChatSearch
{

    /// <summary>A trigram index cannot answer fewer than three characters.</summary>
    internal const int MinFullTextLength = 3;

    /// <summary>
    /// Up to this many matching chats the hits are collected and the page is sorted from them; a term matching more
    /// is common enough that walking the chat list in order and testing each chat finds a page sooner than collecting
    /// every hit (a word in most messages would otherwise materialise most chats of the workspace).
    /// </summary>
    internal const int CollectLimit = 1000;

    /// <summary>
    /// Where the index reads every hit before stopping (<see cref="IChatTextIndex.ReadsEveryHitFirst"/>), the newest
    /// <see cref="ProbeWindow"/> chats of the list are looked at first (their name and last-message preview, no message
    /// rows): <see cref="ProbeHits"/> or more matches there and the term is common, the walk finds a page within about
    /// that many chats, and the index is not read at all (docs/adr/0024-postgresql-common-term-search.md).
    /// </summary>
    internal const int ProbeWindow = 500;

    /// <inheritdoc cref="ProbeWindow"/>
    internal const int ProbeHits = 25;

    public static Task<IQueryable<Chat>> ApplyAsync(IKelolaDb db, IQueryable<Chat> chats, string? search, CancellationToken ct) =>
        ApplyAsync(db, chats, search, CollectLimit, ct);

    internal static async Task<IQueryable<Chat>> ApplyAsync(IKelolaDb db, IQueryable<Chat> chats, string? search, int collectLimit,
        CancellationToken ct)
    {
        var term = Clean(search);
        if (term is null)
            return chats;
        if (db.ChatTextIndex is not { } index)
            return Like(db, chats, term, messages: true);
        if (term.Length < MinFullTextLength)
            // One or two letters match almost every message; only names and numbers are worth looking at.
            return Like(db, chats, term, messages: false);

        // Which way is taken changes the cost only: both find the same chats in the same order (the tests hold them to it).
        if (index.ReadsEveryHitFirst && await LooksCommonAsync(db, chats, term, ct))
            return Like(db, chats, term, messages: true);

        // Hits are counted within the chats the viewer may list (and past the page cursor), so another tenant's
        // text can neither leak nor push this search onto the slower path. Names and messages are counted apart: a
        // term common in names only (a first name shared by thousands of chats) must not make the walk below read
        // every message of each chat it passes, 3.6 s at a million chats (docs/adr/0006).
        async Task<List<Guid>> CollectAsync(IQueryable<Guid> hits) =>
            await hits.Where(id => chats.Any(c => c.Id == id)).Distinct().Take(collectLimit).ToListAsync(ct);
        var nameHits = await CollectAsync(index.ChatsNamed(term));
        var messageHits = await CollectAsync(index.ChatsWithMessageContaining(term));
        var numberHits = new List<Guid>();
        // One query per range: an OR of them would not be split over the (TenantId, ...) indexes by SQLite.
        foreach (var range in NumberTerm.Parse(term)?.Ranges() ?? [])
            numberHits.AddRange(await chats.Where(range).Select(c => c.Id).Take(collectLimit).ToListAsync(ct));

        var messagesCommon = messageHits.Count >= collectLimit;
        if (!messagesCommon && nameHits.Count < collectLimit && numberHits.Count < collectLimit)
        {
            // The ids come from `chats` itself (tenant, viewer, filters, cursor), so the page is read by primary key
            // alone: given the workspace or tenant too, SQLite (no statistics) walks that index for the ORDER BY
            // and tests every chat of the workspace against the list instead of sorting the few hits.
            var ids = nameHits.Union(messageHits).Union(numberHits).ToList();
            return db.Chats.IgnoreQueryFilters([QueryFilters.Tenant, QueryFilters.SoftDelete]).Where(c => ids.Contains(c.Id));
        }
        // Common term: the caller's ORDER BY ... LIMIT walks the list index and stops at the first page, testing each
        // chat's name and number, and its messages only where they are common too (else the few chats they hit are
        // already known). LIKE folds ASCII case only, where the trigram index folds all of Unicode (see the ADR).
        return Like(db, chats, term, messages: true, messagesIn: messagesCommon ? null : messageHits);
    }

    /// <summary>
    /// Whether <paramref name="term"/> shows in the names or last-message previews of at least <see cref="ProbeHits"/>
    /// of the newest <see cref="ProbeWindow"/> chats the page may show: one bounded walk of the list index, no message
    /// rows read. A term common only in older messages is missed here and found common by the collecting step instead.
    /// </summary>
    internal static async Task<bool> LooksCommonAsync(IKelolaDb db, IQueryable<Chat> chats, string term, CancellationToken ct)
    {
        var newest = chats.OrderByDescending(c => c.LastMessageAt).ThenByDescending(c => c.Id).Take(ProbeWindow);
        var pattern = LikePattern.Contains(db.CaseSensitiveLike ? term.ToLowerInvariant() : term);
        var shown = db.CaseSensitiveLike
            ? newest.Where(c => EF.Functions.Like(c.DisplayName.ToLower(), pattern, LikePattern.Escape)
                                || EF.Functions.Like(c.LastMessagePreview!.ToLower(), pattern, LikePattern.Escape))
            : newest.Where(c => EF.Functions.Like(c.DisplayName, pattern, LikePattern.Escape)
                                || EF.Functions.Like(c.LastMessagePreview!, pattern, LikePattern.Escape));
        return await shown.Take(ProbeHits).CountAsync(ct) >= ProbeHits;
    }

    /// <summary>
    /// The search without a full-text index (SQL Server, short terms, common terms): LIKE and number ranges. With
    /// <paramref name="messagesIn"/> the messages are not read: those chats are the ones whose messages hold the term.
    /// </summary>
    internal static IQueryable<Chat> Like(IKelolaDb db, IQueryable<Chat> chats, string search, bool messages, IReadOnlyList<Guid>? messagesIn = null)
    {
        var term = Clean(search);
        if (term is null)
            return chats;
        // PostgreSQL's LIKE is case-sensitive where SQLite's folds ASCII and SQL Server's collation folds: compare lower().
        var fold = db.CaseSensitiveLike;
        var pattern = LikePattern.Contains(fold ? term.ToLowerInvariant() : term);
        var number = NumberTerm.Parse(term);
        var isNumber = number is not null;
        var (startFrom, startTo) = number?.Start ?? ("", "");
        var (nationalFrom, nationalTo) = number?.National ?? number?.Start ?? ("", "");
        var (endFrom, endTo) = number?.End ?? ("", "");
        var messagesKnown = messages && messagesIn is not null;
        var messageChats = messagesIn ?? [];
        messages &= !messagesKnown;
        // Cheap tests first: SQLite stops at the first true branch, so a name or number hit skips the messages.
        if (fold)
            return chats.Where(c => EF.Functions.Like(c.DisplayName.ToLower(), pattern, LikePattern.Escape)
                                    || (isNumber && ((string.Compare(c.PhoneNumber, startFrom) >= 0 && string.Compare(c.PhoneNumber, startTo) < 0)
                                                || (string.Compare(c.PhoneNumber, nationalFrom) >= 0 && string.Compare(c.PhoneNumber, nationalTo) < 0)
                                                || (string.Compare(EF.Property<string?>(c, Chat.PhoneNumberReversedColumn), endFrom) >= 0
                                                    && string.Compare(EF.Property<string?>(c, Chat.PhoneNumberReversedColumn), endTo) < 0)))
                                    || (messagesKnown && messageChats.Contains(c.Id))
                                    // A scalar subquery with LIMIT 1, not EXISTS: PostgreSQL plans an EXISTS under OR as a hashed
                                    // subplan when it costs the whole list (it ignores the page's LIMIT), which reads every
                                    // message of the workspace; this one runs per chat walked and stops at its first hit.
                                    || (messages && db.Messages.Where(m => m.ChatId == c.Id && EF.Functions.Like(m.Body.ToLower(), pattern, LikePattern.Escape))
                                        .Select(m => (int?)1).FirstOrDefault() != null));
        return chats.Where(c => EF.Functions.Like(c.DisplayName, pattern, LikePattern.Escape)
                                || (isNumber && ((string.Compare(c.PhoneNumber, startFrom) >= 0 && string.Compare(c.PhoneNumber, startTo) < 0)
                                                || (string.Compare(c.PhoneNumber, nationalFrom) >= 0 && string.Compare(c.PhoneNumber, nationalTo) < 0)
                                                || (string.Compare(EF.Property<string?>(c, Chat.PhoneNumberReversedColumn), endFrom) >= 0
                                                    && string.Compare(EF.Property<string?>(c, Chat.PhoneNumberReversedColumn), endTo) < 0)))
                                || (messagesKnown && messageChats.Contains(c.Id))
                                || (messages && db.Messages.Any(m => m.ChatId == c.Id && EF.Functions.Like(m.Body, pattern, LikePattern.Escape))));
    }

    private static string? Clean(string? search)
    {
        search = search?.Trim();
        if (string.IsNullOrEmpty(search))
            return null;
        return search.Length > ChatListQuery.SearchMaxLength ? search[..ChatListQuery.SearchMaxLength] : search;
    }

}
