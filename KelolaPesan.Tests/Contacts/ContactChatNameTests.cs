using KelolaPesan.Core.Contacts;
using KelolaPesan.Data;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Tests.Inbox;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Contacts;

/// <summary>A chat is titled with its contact's name: naming or renaming the contact renames its chats, live (issue 19).</summary>
public sealed class ContactChatNameTests : IAsyncLifetime
{
    private InboxHarness _h = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_h is not null)
            await _h.DisposeAsync();
    }

    [Theory, Providers]
    public async Task RenamingAContact_RenamesItsChats_InTheListHeaderAndSearch_AndTellsOpenInboxes(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var now = InboxHarness.Start;
        var chat = await _h.AddChatAsync(_h.Shop, "+6281355500001", "+6281355500001", now);
        var sameNumberElsewhere = await _h.AddChatAsync(_h.Care, "Orang Lain", "+6281355500001", now);
        var contacts = new ContactService(_h.Factory(_h.TenantA), _h.Clock, _h.Bus);
        var events = _h.Record(Topics.Workspace(_h.Shop.Id));

        // A new contact names the chat of its number (a broadcast or an API send made it titled with the number).
        var created = await contacts.CreateAsync(_h.Shop.Id, new ContactInput { Name = "Ibu Sari", Phone = "0813 5550 0001" });
        Assert.True(created.Succeeded);
        Assert.Equal("Ibu Sari", (await _h.ReloadAsync(chat)).DisplayName);

        // An Instagram chat linked to the contact follows it too.
        var instagram = await _h.AddChatAsync(_h.Shop, "@sari.shop", null, now);
        await using (var db = _h.Database.CreateSystem())
            await db.Chats.Where(c => c.Id == instagram.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Channel, Channel.Instagram).SetProperty(c => c.ContactId, created.ContactId));

        var input = (await contacts.GetForEditAsync(_h.Shop.Id, created.ContactId!.Value))!;
        input.Name = "Ibu Sari Wulandari";
        Assert.True((await contacts.UpdateAsync(_h.Shop.Id, created.ContactId.Value, input)).Succeeded);

        var inbox = _h.Inbox(_h.TenantA);
        var list = await inbox.ListChatsAsync(_h.Owner, new ChatListQuery(_h.Shop.Id));
        Assert.Equal("Ibu Sari Wulandari", list.Items.Single(i => i.Id == chat.Id).Title);
        Assert.Equal("Ibu Sari Wulandari", list.Items.Single(i => i.Id == instagram.Id).Title);
        Assert.Equal("Ibu Sari Wulandari", (await inbox.GetChatAsync(_h.Owner, chat.Id))!.Chat.Title);
        Assert.Contains((await inbox.ListChatsAsync(_h.Owner, new ChatListQuery(_h.Shop.Id, Search: "Wulandari"))).Items, i => i.Id == chat.Id);
        // Open inboxes hear a change of both chats and reload them.
        await InboxHarness.HeardAsync(events, e => e is ChatChanged c && c.ChatId == instagram.Id);
        lock (events)
            Assert.Contains(events, e => e is ChatChanged c && c.ChatId == chat.Id);
        // Another workspace's chat of the same number belongs to another contact book.
        Assert.Equal("Orang Lain", (await _h.ReloadAsync(sameNumberElsewhere)).DisplayName);
    }
}
