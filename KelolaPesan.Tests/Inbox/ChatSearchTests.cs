using KelolaPesan.Core.Common;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Privacy;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using KelolaPesan.Data;

namespace KelolaPesan.Tests.Inbox;

/// <summary>
/// The chat-list search over the SQLite FTS5 indexes and PostgreSQL's trigram indexes: kept in step with every write,
/// and never wider than the viewer.
/// </summary>
public sealed class ChatSearchTests : IAsyncLifetime
{
    private InboxHarness _h = null!;

    // Each test makes its harness on its provider (a theory over ProvidersAttribute).
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_h is not null)
            await _h.DisposeAsync();
    }

    private async Task<List<Guid>> Search(InboxViewer viewer, Guid? workspaceId, string text, Guid? tenant = null) =>
        (await _h.Inbox(tenant ?? _h.TenantA).ListChatsAsync(viewer, new ChatListQuery(workspaceId, Search: text))).Items.Select(c => c.Id).ToList();

    /// <summary>
    /// Rows of the index itself: a hidden orphan would still be a privacy leak even if the join to Chats dropped it.
    /// On PostgreSQL the trigram indexes are part of the tables, so the rows that hold the text are what is counted.
    /// </summary>
    private async Task<int> IndexHits(string table, string text)
    {
        await using var db = _h.Database.CreateSystem();
        if (_h.Database.Provider == DatabaseProvider.Postgres)
        {
            var pattern = LikePattern.Contains(text);
            var rows = table == "ChatSearch"
                ? db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM \"Chats\" WHERE \"DisplayName\" ILIKE {pattern}")
                : db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM \"Messages\" WHERE \"Body\" ILIKE {pattern}");
            return await rows.SingleAsync();
        }
        var phrase = KelolaPesan.Data.Inbox.SqliteChatTextIndex.Phrase(text);
        var hits = table == "ChatSearch"
            ? db.Database.SqlQuery<int>($"SELECT count(*) AS \"Value\" FROM \"ChatSearch\" WHERE \"ChatSearch\" MATCH {phrase}")
            : db.Database.SqlQuery<int>($"SELECT count(*) AS \"Value\" FROM \"MessageSearch\" WHERE \"MessageSearch\" MATCH {phrase}");
        return await hits.SingleAsync();
    }

    /// <summary>
    /// The webhook path's batch of messages goes in as one prepared INSERT of many rows (SqliteRawInsert): the trigger
    /// still gives each row its own index entry and mapping, and FTS5 writes the batch's terms as one segment, not one
    /// per message (docs/adr/0006 addendum: a segment per row was most of the pages read under load).
    /// </summary>
    [Theory, Providers]
    public async Task MessagesInsertedAsOneBatch_AreEachFoundByTheirOwnText(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var andi = await _h.AddChatAsync(_h.Shop, "Andi", "+628123456789", InboxHarness.Start);
        var siti = await _h.AddChatAsync(_h.Shop, "Siti", "+628777000111", InboxHarness.Start);
        // 150 rows: two full statements of 64 and a last one of 22.
        var messages = Enumerable.Range(0, 150).Select(i => new Message
        {
            TenantId = _h.TenantA, WorkspaceId = _h.Shop.Id, ChatId = i % 2 == 0 ? andi.Id : siti.Id,
            ExternalMessageId = $"wamid.{i}", Body = $"pesanan nomor kode{i:000}x sudah dikirim", Status = MessageStatus.Delivered,
            SentAt = InboxHarness.Start.AddSeconds(i), CreatedAt = InboxHarness.Start, UpdatedAt = InboxHarness.Start,
        }).ToList();
        var segmentsBefore = await SearchSegmentBlocksAsync();

        await using (var db = _h.Database.CreateSystem())
            await db.InTransactionAsync(ct => new KelolaPesan.Data.Common.RelationalBulkInserter().InsertAsync(db, messages, ct));

        foreach (var i in new[] { 0, 63, 64, 127, 128, 149 })
        {
            Assert.Equal(1, await IndexHits("MessageSearch", $"kode{i:000}x"));
            Assert.Equal([i % 2 == 0 ? andi.Id : siti.Id], await Search(_h.Owner, _h.Shop.Id, $"kode{i:000}x"));
        }
        Assert.Equal(150, await IndexHits("MessageSearch", "sudah dikirim"));
        if (provider == DatabaseProvider.Sqlite)
        {
            await using var db = _h.Database.CreateSystem();
            // Each message maps to the index row that holds its own text.
            var mapped = await db.Database.SqlQuery<string>($"""
                SELECT s."Body" AS "Value" FROM "MessageSearch" s JOIN "MessageSearchRows" r ON r."RowId" = s.rowid
                WHERE r."MessageId" = {messages[77].Id.ToString().ToUpperInvariant()}
                """).SingleAsync();
            Assert.Equal(messages[77].Body, mapped);
            // Three statements write three segments: 5 new blocks. Row by row the batch wrote 150 segments, merged as each
            // level filled, and left 13 (seen with one row per statement).
            Assert.InRange(await SearchSegmentBlocksAsync() - segmentsBefore, 1, 6);
        }
    }

    /// <summary>The FTS5 data blocks of the message index (structure, averages, and the segments' leaves).</summary>
    private async Task<int> SearchSegmentBlocksAsync()
    {
        if (_h.Database.Provider != DatabaseProvider.Sqlite)
            return 0;
        await using var db = _h.Database.CreateSystem();
        return await db.Database.SqlQuery<int>($"SELECT count(*) AS \"Value\" FROM \"MessageSearch_data\"").SingleAsync();
    }

    [Theory, Providers]
    public async Task Search_IsASubstring_CaseInsensitive_InNamesNumbersAndText_WithQuotesAndOperatorsLiteral(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var andi = await _h.AddChatAsync(_h.Shop, "Andi Wijaya", "+628123456789", InboxHarness.Start);
        var siti = await _h.AddChatAsync(_h.Shop, "Siti", "+628777000111", InboxHarness.Start.AddMinutes(-1));
        await _h.ReceiveAsync(siti, "Kirim ke \"Gudang\" OR toko NEAR pasar* ya");

        Assert.Equal([andi.Id], await Search(_h.Owner, _h.Shop.Id, "JAYA"));
        Assert.Equal([andi.Id], await Search(_h.Owner, _h.Shop.Id, "(0812) 345.67"));
        Assert.Equal([siti.Id], await Search(_h.Owner, _h.Shop.Id, "\"gudang\" or"));
        Assert.Equal([siti.Id], await Search(_h.Owner, _h.Shop.Id, "pasar*"));
        Assert.Empty(await Search(_h.Owner, _h.Shop.Id, "toko pasar"));
        // Shorter than a trigram: names only.
        Assert.Equal([andi.Id], await Search(_h.Owner, _h.Shop.Id, "wi"));
    }

    [Theory, Providers]
    public async Task Search_FollowsRenames_AndEditedText(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var chat = await _h.AddChatAsync(_h.Shop, "Nama Lama", "+628123000001", InboxHarness.Start);
        var message = await _h.ReceiveAsync(chat, "pesan pertama");
        await using (var db = _h.Database.CreateSystem())
        {
            await db.Chats.Where(c => c.Id == chat.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.DisplayName, "Nama Baru"));
            await db.Messages.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Body, "isi diganti"));
        }

        Assert.Empty(await Search(_h.Owner, _h.Shop.Id, "lama"));
        Assert.Empty(await Search(_h.Owner, _h.Shop.Id, "pertama"));
        Assert.Equal([chat.Id], await Search(_h.Owner, _h.Shop.Id, "baru"));
        Assert.Equal([chat.Id], await Search(_h.Owner, _h.Shop.Id, "diganti"));
    }

    [Theory, Providers]
    public async Task ErasedChatsAndDeletedMessages_LeaveNothingInTheIndex(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var erased = await _h.AddChatAsync(_h.Shop, "Pelanggan Hapus", "+628123000002", InboxHarness.Start);
        await _h.ReceiveAsync(erased, "alamat rumah jalan mawar 12");
        var kept = await _h.AddChatAsync(_h.Shop, "Pelanggan Tetap", "+628123000003", InboxHarness.Start.AddMinutes(-1));
        var single = await _h.ReceiveAsync(kept, "nomor kartu 4111 rahasia");
        await _h.ReceiveAsync(kept, "terima kasih");
        Assert.Equal(1, await IndexHits("MessageSearch", "jalan mawar"));
        Assert.Equal(1, await IndexHits("MessageSearch", "4111 rahasia"));

        await using (var db = _h.Database.CreateForTenant(_h.TenantA))
        {
            await new DataEraser(_h.Attachments).EraseChatsAsync(db, [erased.Id], CancellationToken.None);
            await db.Messages.Where(m => m.Id == single.Id).ExecuteDeleteAsync();
        }

        Assert.Empty(await Search(_h.Owner, _h.Shop.Id, "jalan mawar"));
        Assert.Empty(await Search(_h.Owner, _h.Shop.Id, "hapus"));
        Assert.Empty(await Search(_h.Owner, _h.Shop.Id, "4111"));
        Assert.Equal(0, await IndexHits("MessageSearch", "jalan mawar"));
        Assert.Equal(0, await IndexHits("ChatSearch", "Hapus"));
        Assert.Equal(0, await IndexHits("MessageSearch", "4111 rahasia"));
        Assert.Equal([kept.Id], await Search(_h.Owner, _h.Shop.Id, "terima kasih"));
    }

    [Theory, Providers]
    public async Task TheRetentionPurge_AndAForeignKeyCascade_AlsoEmptyTheIndex(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var chat = await _h.AddChatAsync(_h.Shop, "Lama Dihapus", "+628123000004", InboxHarness.Start);
        await _h.ReceiveAsync(chat, "pesanan kadaluarsa xyz");
        var cascaded = await _h.AddChatAsync(_h.Shop, "Kaskade", "+628123000005", InboxHarness.Start);
        await _h.ReceiveAsync(cascaded, "ikut terhapus qqq");
        await using (var db = _h.Database.CreateSystem())
        {
            await db.Chats.IgnoreQueryFilters([QueryFilters.Tenant, QueryFilters.SoftDelete]).Where(c => c.Id == chat.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.DeletedAt, InboxHarness.Start.AddYears(-2)));
            // Messages go by the Chat -> Message cascade, not by a statement of ours.
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM \"Chats\" WHERE \"Id\" = {cascaded.Id}");
        }

        var purge = new RetentionService(_h.Factory(_h.TenantA), new DataEraser(_h.Attachments),
            new Core.Audit.AuditLog(_h.Factory(_h.TenantA), _h.Clock), _h.Clock,
            Microsoft.Extensions.Options.Options.Create(new PrivacyOptions()));
        await purge.PurgeAsync();

        Assert.Equal(0, await IndexHits("MessageSearch", "kadaluarsa xyz"));
        Assert.Equal(0, await IndexHits("ChatSearch", "Lama Dihapus"));
        Assert.Equal(0, await IndexHits("MessageSearch", "terhapus qqq"));
        Assert.Equal(0, await IndexHits("ChatSearch", "Kaskade"));
    }

    [Theory, Providers]
    public async Task Search_NeverReturnsAnotherTenantsChats_OrAWorkspaceTheAgentIsNotIn(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var foreign = await _h.AddChatAsync(_h.OtherTenantShop, "Rahasia Tetangga", "+628555000001", InboxHarness.Start);
        await _h.ReceiveAsync(foreign, "kode voucher tetangga");
        var care = await _h.AddChatAsync(_h.Care, "Rahasia Layanan", "+628555000002", InboxHarness.Start);
        await _h.ReceiveAsync(care, "kode voucher layanan");
        var shop = await _h.AddChatAsync(_h.Shop, "Rahasia Toko", "+628555000003", InboxHarness.Start.AddMinutes(-1));
        await _h.ReceiveAsync(shop, "kode voucher toko", InboxHarness.Start.AddMinutes(-1));

        Assert.Equal([care.Id, shop.Id], await Search(_h.Owner, null, "kode voucher"));
        Assert.Equal([care.Id, shop.Id], await Search(_h.Owner, null, "rahasia"));
        Assert.Equal([care.Id, shop.Id], await Search(_h.Owner, null, "0855"));
        // Agent2 is a member of the shop only.
        Assert.Equal([shop.Id], await Search(_h.Agent2, null, "kode voucher"));
        Assert.Empty(await Search(_h.Agent2, _h.Care.Id, "voucher layanan"));
        // Even a tenant-wide owner of the other tenant sees only their own.
        Assert.Equal([foreign.Id], await Search(_h.OtherTenantOwner, null, "kode voucher", _h.TenantB));
    }

    [Theory, Providers]
    public async Task TheLikeFallback_ForSqlServer_HasTheSameSemantics(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var andi = await _h.AddChatAsync(_h.Shop, "Andi Wijaya", "+628123456789", InboxHarness.Start);
        var budi = await _h.AddChatAsync(_h.Shop, "Budi", "+628999000222", InboxHarness.Start.AddMinutes(-2));
        await _h.ReceiveAsync(budi, "diskon 100% ya?");
        await using var db = _h.Database.CreateForTenant(_h.TenantA);

        List<Guid> Like(string text) => ChatSearch.Like(db, db.Chats.Where(c => c.WorkspaceId == _h.Shop.Id), text, messages: true)
            .Select(c => c.Id).ToList();

        Assert.Equal([andi.Id], Like("wijaya"));
        Assert.Equal([andi.Id], Like("0812-3456"));
        Assert.Equal([budi.Id], Like("100%"));
        Assert.Empty(Like("_ndi"));
    }

    [Fact]
    public async Task TheLikeFallback_TakesABracketLiterally_AsSqlServerNeedsItEscaped()
    {
        _h = await InboxHarness.CreateAsync();
        // On SQL Server "[VIP]" unescaped is a character class (one of V, I, P): it would match "Vera" and miss the name.
        var vip = await _h.AddChatAsync(_h.Shop, "[VIP] Andi", "+628123456789", InboxHarness.Start);
        await _h.AddChatAsync(_h.Shop, "Vera", "+628999000222", InboxHarness.Start.AddMinutes(-2));
        await using var db = _h.Database.CreateForTenant(_h.TenantA);

        var found = ChatSearch.Like(db, db.Chats.Where(c => c.WorkspaceId == _h.Shop.Id), "[VIP]", messages: true).Select(c => c.Id).ToList();

        Assert.Equal([vip.Id], found);
        Assert.Equal(@"%\[VIP]%", LikePattern.Contains("[VIP]"));
        Assert.Equal(@"%100\%\_\\%", LikePattern.Contains(@"100%_\"));
    }

    [Theory, Providers]
    public async Task ANumber_MatchesTheStartOrTheEndOfTheStoredNumber_NotTheMiddle(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var andi = await _h.AddChatAsync(_h.Shop, "Andi", "+628123456789", InboxHarness.Start);
        var budi = await _h.AddChatAsync(_h.Shop, "Budi", "+628777000789", InboxHarness.Start.AddMinutes(-1));
        var instagram = await _h.AddChatAsync(_h.Shop, "Tanpa Nomor", null, InboxHarness.Start.AddMinutes(-2));

        Assert.Equal([andi.Id], await Search(_h.Owner, _h.Shop.Id, "0812 3456"));
        Assert.Equal([andi.Id], await Search(_h.Owner, _h.Shop.Id, "+62 812-3456"));
        Assert.Equal([andi.Id], await Search(_h.Owner, _h.Shop.Id, "812 3456"));
        Assert.Equal([andi.Id, budi.Id], await Search(_h.Owner, _h.Shop.Id, "789"));
        Assert.Equal([andi.Id], await Search(_h.Owner, _h.Shop.Id, "6789"));
        Assert.Equal([budi.Id], await Search(_h.Owner, _h.Shop.Id, "000789"));
        // From the middle of a number: not a match (the ADR says why).
        Assert.Empty(await Search(_h.Owner, _h.Shop.Id, "3456"));
        Assert.DoesNotContain(instagram.Id, await Search(_h.Owner, _h.Shop.Id, "0812"));
    }

    [Theory, Providers]
    public async Task ACommonTerm_WalkingTheListInOrder_FindsTheSamePagesAsCollectingTheHits(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var chats = new List<Chat>();
        for (var i = 0; i < 7; i++)
        {
            var chat = await _h.AddChatAsync(_h.Shop, $"Pelanggan {i}", $"+62812000{i:D4}", InboxHarness.Start.AddMinutes(-i));
            if (i % 3 != 1)
                await _h.ReceiveAsync(chat, $"Barang {i} sudah SAMPAI ya", InboxHarness.Start.AddMinutes(-i));
            chats.Add(chat);
        }
        await using var db = _h.Database.CreateForTenant(_h.TenantA);

        async Task<List<Guid>> Page(string text, int collectLimit, (DateTimeOffset At, Guid Id)? after)
        {
            var scope = db.Chats.Where(c => c.WorkspaceId == _h.Shop.Id);
            if (after is { } a)
                scope = scope.Where(c => c.LastMessageAt < a.At || (c.LastMessageAt == a.At && c.Id.CompareTo(a.Id) < 0));
            var found = await ChatSearch.ApplyAsync(db, scope, text, collectLimit, CancellationToken.None);
            return await found.OrderByDescending(c => c.LastMessageAt).ThenByDescending(c => c.Id).Take(2).Select(c => c.Id).ToListAsync();
        }

        foreach (var text in new[] { "sampai", "0812000", "00006" })
        {
            // collectLimit 1: every term with a hit takes the ordered walk; the default collects them.
            List<Guid> walked = [], collected = [];
            foreach (var (limit, into) in new[] { (1, walked), (ChatSearch.CollectLimit, collected) })
            {
                (DateTimeOffset, Guid)? after = null;
                while (true)
                {
                    var page = await Page(text, limit, after);
                    into.AddRange(page);
                    if (page.Count < 2)
                        break;
                    var lastId = page[^1];
                    var last = await db.Chats.SingleAsync(c => c.Id == lastId);
                    after = (last.LastMessageAt, last.Id);
                }
            }
            Assert.NotEmpty(collected);
            Assert.Equal(collected, walked);
        }
        Assert.Equal(chats.Where((_, i) => i % 3 != 1).Select(c => c.Id), await CollectAll("sampai"));

        async Task<List<Guid>> CollectAll(string text) =>
            await (await ChatSearch.ApplyAsync(db, db.Chats.Where(c => c.WorkspaceId == _h.Shop.Id), text, CancellationToken.None))
                .OrderByDescending(c => c.LastMessageAt).ThenByDescending(c => c.Id).Select(c => c.Id).ToListAsync();
    }

    [Theory, Providers]
    public async Task ATermCommonInNamesOnly_WalksTheListWithoutReadingMessages_AndStillFindsTheChatsWhoseMessagesHoldIt(DatabaseProvider provider)
    {
        // A first name shared by thousands of chats, written in one message: at a million chats the walk read every
        // message of each chat it passed (3.6 s); the few chats whose messages hold the term are known from the index.
        _h = await InboxHarness.CreateAsync(provider);
        var expected = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            var at = InboxHarness.Start.AddMinutes(-i);
            var named = i % 2 == 0;
            var chat = await _h.AddChatAsync(_h.Shop, named ? $"Sari Dewi {i}" : $"Pelanggan {i}", $"+62812200{i:D4}", at);
            await _h.ReceiveAsync(chat, i == 3 ? "titip salam buat bu SARI ya" : "halo, stok ada?", at);
            if (named || i == 3)
                expected.Add(chat.Id);
        }
        await using var db = _h.Database.CreateForTenant(_h.TenantA);
        var scope = db.Chats.Where(c => c.WorkspaceId == _h.Shop.Id);

        // Limit 2: three names are common, one message is not. Limit 1: both are, and the walk reads the messages.
        var walk = await ChatSearch.ApplyAsync(db, scope, "sari", collectLimit: 2, CancellationToken.None);
        var walkReadingMessages = await ChatSearch.ApplyAsync(db, scope, "sari", collectLimit: 1, CancellationToken.None);
        var collected = await ChatSearch.ApplyAsync(db, scope, "sari", CancellationToken.None);

        foreach (var found in new[] { walk, walkReadingMessages, collected })
            Assert.Equal(expected, await found.OrderByDescending(c => c.LastMessageAt).ThenByDescending(c => c.Id).Select(c => c.Id).ToListAsync());
        Assert.DoesNotContain("\"Messages\"", walk.ToQueryString());
        Assert.Contains("\"Messages\"", walkReadingMessages.ToQueryString());
    }

    [Theory, Providers]
    public async Task ACommonTerm_WithMoreHitsThanAPage_ListsTheNewestMatchingChatsPageByPage(DatabaseProvider provider)
    {
        // Enough chats show the term in their name or last message that PostgreSQL's probe calls it common and walks
        // the list instead of reading the trigram index; SQLite collects the hits. Both must give these pages.
        _h = await InboxHarness.CreateAsync(provider);
        var expected = new List<Guid>();
        for (var i = 0; i < 64; i++)
        {
            var at = InboxHarness.Start.AddMinutes(-i);
            var chat = await _h.AddChatAsync(_h.Shop, i % 4 == 3 ? $"Toko KIRIM Cepat {i}" : $"Pelanggan {i}", $"+62812100{i:D4}", at);
            switch (i % 4)
            {
                case 0: await _h.ReceiveAsync(chat, $"Kiriman {i} sudah sampai", at); break;
                // Only an older message holds the term: the preview shows "terima kasih".
                case 1:
                    await _h.ReceiveAsync(chat, "tolong kirim besok", at.AddSeconds(-30));
                    await _h.ReceiveAsync(chat, "terima kasih", at);
                    break;
                case 2: await _h.ReceiveAsync(chat, "halo, stok ada?", at); break;
            }
            if (i % 4 != 2)
                expected.Add(chat.Id);
        }
        await using (var db = _h.Database.CreateForTenant(_h.TenantA))
            Assert.True(await ChatSearch.LooksCommonAsync(db, db.Chats.Where(c => c.WorkspaceId == _h.Shop.Id), "kirim", CancellationToken.None));

        var found = new List<Guid>();
        ChatCursor? after = null;
        var pages = 0;
        do
        {
            var page = await _h.Inbox(_h.TenantA).ListChatsAsync(_h.Owner, new ChatListQuery(_h.Shop.Id, Search: "Kirim", After: after));
            Assert.Equal(pages == 0 ? ChatListQuery.DefaultPageSize : expected.Count - ChatListQuery.DefaultPageSize, page.Items.Count);
            found.AddRange(page.Items.Select(c => c.Id));
            after = page.Next;
            pages++;
        } while (after is not null);

        Assert.Equal(2, pages);
        Assert.Equal(expected, found);
    }
}
