using KelolaPesan.Core.Inbox;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Inbox;

/// <summary>
/// Open inboxes refreshing for one event share one read of their chat list (issue 21), but only a read that started
/// after the event, and only between viewers who would see the same rows.
/// </summary>
public sealed class SharedChatPagesTests : IAsyncLifetime
{
    private readonly ReadCounter _reads = new();
    private InboxHarness _h = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_h is not null)
            await _h.DisposeAsync();
    }

    private SharedChatPages Pages => _h.Services.GetRequiredService<SharedChatPages>();

    [Theory, Providers]
    public async Task InboxesRefreshingForOneEvent_ReadOnce_AndALaterEvent_ReadsAgain(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync([_reads], provider);
        var older = await _h.AddChatAsync(_h.Shop, "Ani", "+628120001", InboxHarness.Start.AddMinutes(-5));
        var newer = await _h.AddChatAsync(_h.Shop, "Budi", "+628120002", InboxHarness.Start.AddMinutes(-1));
        var query = new ChatListQuery(_h.Shop.Id);

        // Ten circuits (each its own scope) of owners and managers alike, refreshing for the same event.
        var mark = Pages.Mark();
        _reads.Clear();
        var first = await _h.Inbox(_h.TenantA).ListChatsAsync(_h.Owner, query, mark);
        var oneRead = _reads.Reads.Count;
        var pages = await Task.WhenAll(Enumerable.Range(0, 9).Select(_ => _h.Inbox(_h.TenantA).ListChatsAsync(_h.Owner, query, mark)));

        Assert.True(oneRead > 0);
        Assert.Equal(oneRead, _reads.Reads.Count);
        Assert.Equal([newer.Id, older.Id], first.Items.Select(c => c.Id));
        Assert.All(pages, p => Assert.Equal(first.Items, p.Items));

        // The next event is marked after that read started: it is not served from it, whatever the clock says.
        await _h.ReceiveAsync(older, "masih ada?");
        var later = Pages.Mark();
        _reads.Clear();
        var fresh = await _h.Inbox(_h.TenantA).ListChatsAsync(_h.Owner, query, later);
        var again = await _h.Inbox(_h.TenantA).ListChatsAsync(_h.Owner, query, mark);

        Assert.Equal(oneRead, _reads.Reads.Count);
        Assert.Equal([older.Id, newer.Id], fresh.Items.Select(c => c.Id));
        Assert.Equal("masih ada?", fresh.Items[0].Preview);
        // A caller content with an older state gets the newest read there is.
        Assert.Equal(fresh.Items, again.Items);
        Assert.Equal(oneRead, _reads.Reads.Count);
    }

    [Theory, Providers]
    public async Task AgentsAndOtherTenants_NeverGetAPageReadForSomeoneElse(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync([_reads], provider);
        var open = await _h.AddChatAsync(_h.Shop, "Ani", "+628120001", InboxHarness.Start.AddMinutes(-5));
        var agents = await _h.AddChatAsync(_h.Shop, "Budi", "+628120002", InboxHarness.Start.AddMinutes(-1), assignedTo: _h.Agent.UserId);
        var care = await _h.AddChatAsync(_h.Care, "Citra", "+628120003", InboxHarness.Start);
        var mark = Pages.Mark();

        // The same query, asked first by the one who sees most.
        var owner = await _h.Inbox(_h.TenantA).ListChatsAsync(_h.Owner, new ChatListQuery(null), mark);
        var agent = await _h.Inbox(_h.TenantA).ListChatsAsync(_h.Agent, new ChatListQuery(null), mark);
        var agent2 = await _h.Inbox(_h.TenantA).ListChatsAsync(_h.Agent2, new ChatListQuery(null), mark);
        var mine = await _h.Inbox(_h.TenantA).ListChatsAsync(_h.Owner, new ChatListQuery(_h.Shop.Id, AssignedToMe: true), mark);
        var minePerAgent = await _h.Inbox(_h.TenantA).ListChatsAsync(_h.Agent, new ChatListQuery(_h.Shop.Id, AssignedToMe: true), mark);
        var shop = await _h.Inbox(_h.TenantA).ListChatsAsync(_h.Owner, new ChatListQuery(_h.Shop.Id), mark);
        var otherTenant = await _h.Inbox(_h.TenantB).ListChatsAsync(_h.OtherTenantOwner, new ChatListQuery(_h.Shop.Id), mark);
        var otherAll = await _h.Inbox(_h.TenantB).ListChatsAsync(_h.OtherTenantOwner, new ChatListQuery(null), mark);

        Assert.Equal([care.Id, agents.Id, open.Id], owner.Items.Select(c => c.Id));
        Assert.Equal([care.Id, agents.Id, open.Id], agent.Items.Select(c => c.Id));
        Assert.Equal([open.Id], agent2.Items.Select(c => c.Id));
        Assert.Empty(mine.Items);
        Assert.Equal([agents.Id], minePerAgent.Items.Select(c => c.Id));
        Assert.Equal([agents.Id, open.Id], shop.Items.Select(c => c.Id));
        Assert.Empty(otherTenant.Items);
        Assert.Empty(otherAll.Items);
    }
}
