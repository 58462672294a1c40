using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Inbox;

/// <summary>Replying takes an unassigned chat (a tenant setting, on by default); list rows carry the assignee and the labels.</summary>
public sealed class InboxHabitsTests : IAsyncLifetime
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 4, 5, 6];
    private InboxHarness _h = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_h is not null)
            await _h.DisposeAsync();
    }

    [Theory, Providers]
    public async Task Reply_ToAnUnassignedChat_AssignsItToTheReplier_ByDefault(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var text = await _h.AddChatAsync(_h.Shop, "Pembeli", "+628123450001", InboxHarness.Start.AddHours(-1));
        var file = await _h.AddChatAsync(_h.Shop, "Pembeli Foto", "+628123450002", InboxHarness.Start.AddHours(-1));
        var events = _h.Record(Topics.Workspace(_h.Shop.Id));
        var inbox = _h.Inbox(_h.TenantA);

        await inbox.SendTextAsync(_h.Agent, text.Id, "Siap kak");
        await inbox.SendAttachmentAsync(_h.Agent2, file.Id, new OutgoingFile(new MemoryStream(Png), "foto.png"), "Ini fotonya");

        Assert.Equal(_h.Agent.UserId, (await _h.ReloadAsync(text)).AssignedUserId);
        Assert.Equal(_h.Agent2.UserId, (await _h.ReloadAsync(file)).AssignedUserId);
        // The file send's last event (events reach a subscriber in order): both chats' changes came before it.
        await InboxHarness.HeardAsync(events, e => e is ChatMessageStatusChanged sent && sent.ChatId == file.Id);
        Assert.Contains(new ChatChanged(_h.TenantA, _h.Shop.Id, text.Id), events);
        Assert.Contains(new ChatChanged(_h.TenantA, _h.Shop.Id, file.Id), events);
    }

    [Theory, Providers]
    public async Task AMemberDeactivatedWhileTheirPageWasOpen_WritesNothing_AndTakesNoChat(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var chat = await _h.AddChatAsync(_h.Shop, "Pembeli", "+628123450001", InboxHarness.Start.AddHours(-1));
        await using (var db = _h.Database.CreateSystem())
            await db.Users.Where(u => u.Id == _h.Agent.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false));
        var inbox = _h.Inbox(_h.TenantA);

        await Assert.ThrowsAsync<ChatNotFoundException>(() => inbox.SendTextAsync(_h.Agent, chat.Id, "Terlambat"));
        await Assert.ThrowsAsync<ChatNotFoundException>(() => inbox.AddNoteAsync(_h.Agent, chat.Id, "Catatan terlambat"));
        await Assert.ThrowsAsync<ChatNotFoundException>(() =>
            inbox.SendAttachmentAsync(_h.Agent, chat.Id, new OutgoingFile(new MemoryStream(Png), "foto.png"), null));

        Assert.Null((await _h.ReloadAsync(chat)).AssignedUserId);
        await using var check = _h.Database.CreateSystem();
        Assert.False(await check.Messages.AnyAsync(m => m.ChatId == chat.Id));
    }

    [Theory, Providers]
    public async Task Reply_KeepsSomeoneElsesChat_AndNotesNeverAssign(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var held = await _h.AddChatAsync(_h.Shop, "Dipegang", "+628123450001", InboxHarness.Start, assignedTo: _h.Agent.UserId);
        var open = await _h.AddChatAsync(_h.Shop, "Terbuka", "+628123450002", InboxHarness.Start);
        var inbox = _h.Inbox(_h.TenantA);

        await inbox.SendTextAsync(_h.Owner, held.Id, "Saya bantu jawab");
        await inbox.AddNoteAsync(_h.Agent2, open.Id, "Catatan saja");

        Assert.Equal(_h.Agent.UserId, (await _h.ReloadAsync(held)).AssignedUserId);
        Assert.Null((await _h.ReloadAsync(open)).AssignedUserId);
    }

    [Theory, Providers]
    public async Task Reply_WhenTheTenantTurnedAssignOnReplyOff_LeavesTheChatUnassigned(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        await using (var db = _h.Database.CreateSystem())
            await db.Tenants.Where(t => t.Id == _h.TenantA).ExecuteUpdateAsync(s => s.SetProperty(t => t.AssignOnReply, false));
        var chat = await _h.AddChatAsync(_h.Shop, "Pembeli", "+628123450001", InboxHarness.Start);
        var events = _h.Record(Topics.Workspace(_h.Shop.Id));

        await _h.Inbox(_h.TenantA).SendTextAsync(_h.Agent, chat.Id, "Siap kak");

        Assert.Null((await _h.ReloadAsync(chat)).AssignedUserId);
        // The send's last event (events reach a subscriber in order): anything it published came before it.
        await InboxHarness.HeardAsync(events, e => e is ChatMessageStatusChanged);
        Assert.DoesNotContain(events, e => e is ChatChanged);
        // The other tenant keeps its own setting (the default).
        await using var check = _h.Database.CreateSystem();
        Assert.True(await check.Tenants.Where(t => t.Id == _h.TenantB).Select(t => t.AssignOnReply).SingleAsync());
    }

    [Theory, Providers]
    public async Task ListChats_RowsCarryTheAssigneesNameAndTheLabels_AcrossPages(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var inbox = _h.Inbox(_h.TenantA);
        var chats = new List<Chat>();
        for (var i = 0; i < 5; i++)
            chats.Add(await _h.AddChatAsync(_h.Shop, $"Pembeli {i}", $"+62812345000{i}", InboxHarness.Start.AddMinutes(-i),
                assignedTo: i % 2 == 0 ? _h.Agent.UserId : null));
        await inbox.AddLabelAsync(_h.Owner, chats[0].Id, "VIP");
        await inbox.AddLabelAsync(_h.Owner, chats[0].Id, "Grosir");
        await inbox.AddLabelAsync(_h.Owner, chats[3].Id, "Grosir");

        var first = await inbox.ListChatsAsync(_h.Owner, new ChatListQuery(_h.Shop.Id, PageSize: 2));
        var rest = await inbox.ListChatsAsync(_h.Owner, new ChatListQuery(_h.Shop.Id, After: first.Next, PageSize: 10));
        var rows = first.Items.Concat(rest.Items).ToList();

        Assert.Equal(chats.Select(c => c.Id), rows.Select(r => r.Id));
        Assert.Null(rest.Next);
        Assert.Equal(["agen", null, "agen", null, "agen"], rows.Select(r => r.AssignedUserName));
        Assert.Equal(["Grosir", "VIP"], rows[0].Labels.Select(l => l.Name));
        Assert.Equal(["Grosir"], rows[3].Labels.Select(l => l.Name));
        Assert.All(rows.Where((_, i) => i is 1 or 2 or 4), r => Assert.Empty(r.Labels));
    }
}
