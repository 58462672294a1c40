using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Data;

namespace KelolaPesan.Tests.Inbox;

public sealed class ChatListTests : IAsyncLifetime
{
    private InboxHarness _h = null!;

    // Each test makes its harness on its provider (a theory over ProvidersAttribute).
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_h is not null)
            await _h.DisposeAsync();
    }

    [Theory, Providers]
    public async Task Pages_FollowLastActivity_WithNoDuplicatesOrSkips_EvenWhenTimesTie(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var chats = new List<Chat>();
        for (var i = 0; i < 95; i++)
            // Groups of seven chats share one instant: the cursor must break ties by id.
            chats.Add(await _h.AddChatAsync(_h.Shop, $"Pelanggan {i}", $"+62812000{i:D4}", InboxHarness.Start.AddMinutes(-(i / 7))));
        var expected = chats.OrderByDescending(c => c.LastMessageAt).ThenByDescending(c => c.Id).Select(c => c.Id).ToList();

        var seen = new List<Guid>();
        ChatCursor? cursor = null;
        var pages = 0;
        do
        {
            var page = await _h.Inbox(_h.TenantA).ListChatsAsync(_h.Owner, new ChatListQuery(_h.Shop.Id, After: cursor, PageSize: 10));
            seen.AddRange(page.Items.Select(c => c.Id));
            cursor = page.Next;
            pages++;
        }
        while (cursor is not null && pages < 20);

        Assert.Equal(10, pages);
        Assert.Equal(expected, seen);
    }

    [Theory, Providers]
    public async Task AllMyWorkspaces_MergesTheWorkspacesTheViewerMaySee_InOneOrder(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var shop = await _h.AddChatAsync(_h.Shop, "Toko", "+628120001", InboxHarness.Start.AddMinutes(-5));
        var care = await _h.AddChatAsync(_h.Care, "Care", "+628120002", InboxHarness.Start.AddMinutes(-1));
        await _h.AddChatAsync(_h.OtherTenantShop, "Lain", "+628120003", InboxHarness.Start);

        var owner = await _h.Inbox(_h.TenantA).ListChatsAsync(_h.Owner, new ChatListQuery(null));
        var agent2 = await _h.Inbox(_h.TenantA).ListChatsAsync(_h.Agent2, new ChatListQuery(null));

        Assert.Equal([care.Id, shop.Id], owner.Items.Select(c => c.Id));
        Assert.Equal([shop.Id], agent2.Items.Select(c => c.Id));
        Assert.Empty((await _h.Inbox(_h.TenantA).ListChatsAsync(_h.Agent2, new ChatListQuery(_h.Care.Id))).Items);
    }

    [Theory, Providers]
    public async Task Search_FindsByName_ByNumberInAnyFormat_AndByMessageText(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var andi = await _h.AddChatAsync(_h.Shop, "Andi Wijaya", "+628123456789", InboxHarness.Start);
        var siti = await _h.AddChatAsync(_h.Shop, "Siti", "+628777000111", InboxHarness.Start.AddMinutes(-1));
        var budi = await _h.AddChatAsync(_h.Shop, "Budi", "+628999000222", InboxHarness.Start.AddMinutes(-2));
        await _h.ReceiveAsync(siti, "Tolong kirim INVOICE pesanan saya");
        await _h.ReceiveAsync(budi, "diskon 100% ya?");

        async Task<IEnumerable<Guid>> Search(string text) =>
            (await _h.Inbox(_h.TenantA).ListChatsAsync(_h.Owner, new ChatListQuery(_h.Shop.Id, Search: text))).Items.Select(c => c.Id);

        Assert.Equal([andi.Id], await Search("andi"));
        Assert.Equal([andi.Id], await Search("0812-3456"));
        Assert.Equal([andi.Id], await Search("+62 812 345"));
        Assert.Equal([siti.Id], await Search("invoice"));
        // LIKE wildcards in the search are literal characters.
        Assert.Equal([budi.Id], await Search("100%"));
        Assert.Empty(await Search("_ndi"));
    }

    [Theory, Providers]
    public async Task Filters_Unread_AssignedToMe_Unassigned_AndLabel(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var unread = await _h.AddChatAsync(_h.Shop, "Belum dibaca", "+628120001", InboxHarness.Start);
        var mine = await _h.AddChatAsync(_h.Shop, "Punya saya", "+628120002", InboxHarness.Start.AddMinutes(-1), assignedTo: _h.Agent.UserId);
        var others = await _h.AddChatAsync(_h.Shop, "Punya agen2", "+628120003", InboxHarness.Start.AddMinutes(-2), assignedTo: _h.Agent2.UserId);
        await _h.ReceiveAsync(unread, "halo");
        var inbox = _h.Inbox(_h.TenantA);
        var vip = await inbox.AddLabelAsync(_h.Owner, others.Id, "VIP");

        async Task<IEnumerable<Guid>> List(InboxViewer viewer, ChatListQuery q) => (await inbox.ListChatsAsync(viewer, q)).Items.Select(c => c.Id);

        Assert.Equal([unread.Id], await List(_h.Agent, new ChatListQuery(_h.Shop.Id, UnreadOnly: true)));
        Assert.Equal([mine.Id], await List(_h.Agent, new ChatListQuery(_h.Shop.Id, AssignedToMe: true)));
        Assert.Equal([unread.Id], await List(_h.Owner, new ChatListQuery(_h.Shop.Id, UnassignedOnly: true)));
        Assert.Equal([others.Id], await List(_h.Owner, new ChatListQuery(_h.Shop.Id, LabelId: vip.Id)));
        // An agent sees unassigned chats and their own, never a colleague's.
        Assert.Equal([unread.Id, mine.Id], await List(_h.Agent, new ChatListQuery(_h.Shop.Id)));
        Assert.Empty(await List(_h.Agent, new ChatListQuery(_h.Shop.Id, LabelId: vip.Id)));
        Assert.Equal([unread.Id, mine.Id, others.Id], await List(_h.Owner, new ChatListQuery(_h.Shop.Id)));
    }

    [Theory, Providers]
    public async Task AColleaguesChat_IsNotFound_ForAnAgent(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var others = await _h.AddChatAsync(_h.Shop, "Punya agen2", "+628120003", InboxHarness.Start, assignedTo: _h.Agent2.UserId);
        var inbox = _h.Inbox(_h.TenantA);

        Assert.Null(await inbox.GetChatAsync(_h.Agent, others.Id));
        await Assert.ThrowsAsync<ChatNotFoundException>(() => inbox.GetMessagesAsync(_h.Agent, others.Id));
        await Assert.ThrowsAsync<ChatNotFoundException>(() => inbox.SendTextAsync(_h.Agent, others.Id, "halo"));
        Assert.NotNull(await inbox.GetChatAsync(_h.Agent2, others.Id));
    }

    [Theory, Providers]
    public async Task AnotherTenantsChat_IsNotFound_ByAnyMethod(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var foreign = await _h.AddChatAsync(_h.OtherTenantShop, "Rahasia", "+628120009", InboxHarness.Start);
        await _h.ReceiveAsync(foreign, "data pelanggan lain");
        var inbox = _h.Inbox(_h.TenantA);

        Assert.Null(await inbox.GetChatAsync(_h.Owner, foreign.Id));
        await Assert.ThrowsAsync<ChatNotFoundException>(() => inbox.GetMessagesAsync(_h.Owner, foreign.Id));
        await Assert.ThrowsAsync<ChatNotFoundException>(() => inbox.MarkReadAsync(_h.Owner, foreign.Id));
        await Assert.ThrowsAsync<ChatNotFoundException>(() => inbox.SendTextAsync(_h.Owner, foreign.Id, "halo"));
        await Assert.ThrowsAsync<ChatNotFoundException>(() => inbox.AddNoteAsync(_h.Owner, foreign.Id, "catatan"));
        await Assert.ThrowsAsync<ChatNotFoundException>(() => inbox.AssignAsync(_h.Owner, foreign.Id, null));
        await Assert.ThrowsAsync<ChatNotFoundException>(() => inbox.AddLabelAsync(_h.Owner, foreign.Id, "x"));
        Assert.Empty((await inbox.ListChatsAsync(_h.Owner, new ChatListQuery(_h.OtherTenantShop.Id))).Items);
        Assert.Equal(1, (await _h.ReloadAsync(foreign)).UnreadCount);
    }

    [Theory, Providers]
    public async Task History_NewestPageFirst_OlderPagesByCursor_CoverEveryMessageOnce(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var chat = await _h.AddChatAsync(_h.Shop, "Riwayat", "+628120001", InboxHarness.Start);
        var stored = new List<Message>();
        for (var i = 0; i < 100; i++)
            stored.Add(await _h.ReceiveAsync(chat, $"pesan {i}", InboxHarness.Start.AddSeconds(i / 4)));
        var inbox = _h.Inbox(_h.TenantA);

        var newest = await inbox.GetMessagesAsync(_h.Owner, chat.Id, pageSize: 15);
        var all = new List<MessageView>(newest.Messages);
        var cursor = newest.Older;
        while (cursor is not null)
        {
            var older = await inbox.GetMessagesAsync(_h.Owner, chat.Id, cursor, pageSize: 15);
            Assert.True(older.Messages[^1].SentAt <= all[0].SentAt);
            all.InsertRange(0, older.Messages);
            cursor = older.Older;
        }

        // Four messages share each second; within one the id decides, and two ids made in the same millisecond are in
        // either order (version 7 GUIDs are random past the millisecond), so "pesan 98" may be the newer of the last two.
        var inOrder = stored.OrderBy(m => m.SentAt).ThenBy(m => m.Id).Select(m => m.Id).ToList();
        Assert.Equal(inOrder[^15..], newest.Messages.Select(m => m.Id));
        Assert.Contains(newest.Messages[^1].Body, new[] { "pesan 96", "pesan 97", "pesan 98", "pesan 99" });
        Assert.Equal(inOrder, all.Select(m => m.Id));
    }

    [Theory, Providers]
    public async Task NewerMessages_AreFetchedAfterTheLastShownOne(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var chat = await _h.AddChatAsync(_h.Shop, "Baru", "+628120001", InboxHarness.Start);
        await _h.ReceiveAsync(chat, "satu");
        var inbox = _h.Inbox(_h.TenantA);
        var shown = await inbox.GetMessagesAsync(_h.Owner, chat.Id);

        await _h.ReceiveAsync(chat, "dua");
        var newer = await inbox.GetMessagesAfterAsync(_h.Owner, chat.Id, shown.Messages[^1].Cursor);

        Assert.Equal(["dua"], newer.Select(m => m.Body));
    }
}
