using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.ExternalApi;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Inbox;

/// <summary>
/// Resolving a conversation takes it out of the team's queue (the open list) until the customer writes again or
/// someone replies; agents' unread badges count what their inbox shows.
/// </summary>
public sealed class ResolveChatTests : IAsyncLifetime
{
    private InboxHarness _h = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_h is not null)
            await _h.DisposeAsync();
    }

    [Theory, Providers]
    public async Task AResolvedChat_LeavesTheOpenList_ShowsInTheResolvedOne_AndASearchStillFindsIt(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var done = await _h.AddChatAsync(_h.Shop, "Sudah Beres", "+628120001", InboxHarness.Start);
        var open = await _h.AddChatAsync(_h.Shop, "Masih Tanya", "+628120002", InboxHarness.Start.AddMinutes(-1));
        var events = _h.Record(Topics.Workspace(_h.Shop.Id));
        var inbox = _h.Inbox(_h.TenantA);

        await inbox.SetResolvedAsync(_h.Agent, done.Id, resolved: true);

        Assert.Equal([open.Id], Ids(await inbox.ListChatsAsync(_h.Agent, new ChatListQuery(_h.Shop.Id))));
        var resolvedList = await inbox.ListChatsAsync(_h.Agent, new ChatListQuery(_h.Shop.Id, Resolved: true));
        Assert.Equal([done.Id], Ids(resolvedList));
        Assert.True(resolvedList.Items[0].Resolved);
        // Finding an old conversation: a search looks through the resolved ones too, marked as such.
        var found = await inbox.ListChatsAsync(_h.Agent, new ChatListQuery(_h.Shop.Id, Search: "Beres"));
        Assert.Equal([(done.Id, true)], found.Items.Select(c => (c.Id, c.Resolved)));

        var detail = await inbox.GetChatAsync(_h.Agent, done.Id);
        Assert.Equal(InboxHarness.Start, detail!.ResolvedAt);
        Assert.Equal("agen", detail.ResolvedByName);
        await InboxHarness.HeardAsync(events, e => e is ChatChanged changed && changed.ChatId == done.Id);

        await inbox.SetResolvedAsync(_h.Agent, done.Id, resolved: false);
        Assert.Equal([done.Id, open.Id], Ids(await inbox.ListChatsAsync(_h.Agent, new ChatListQuery(_h.Shop.Id))));
        Assert.Null((await inbox.GetChatAsync(_h.Agent, done.Id))!.ResolvedAt);
    }

    [Theory, Providers]
    public async Task TheCustomersNextMessage_OpensAResolvedChatAgain_ThroughTheWebhookCounters(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var chat = await _h.AddChatAsync(_h.Shop, "Kembali Lagi", "+628120001", InboxHarness.Start);
        var inbox = _h.Inbox(_h.TenantA);
        await inbox.SetResolvedAsync(_h.Owner, chat.Id, resolved: true);

        _h.Clock.Advance(TimeSpan.FromHours(2));
        await _h.ReceiveAsync(chat, "kak, satu lagi");

        var stored = await _h.ReloadAsync(chat);
        Assert.Null(stored.ResolvedAt);
        Assert.Null(stored.ResolvedByUserId);
        Assert.Equal([chat.Id], Ids(await inbox.ListChatsAsync(_h.Owner, new ChatListQuery(_h.Shop.Id))));
    }

    [Theory, Providers]
    public async Task AnAgentsReply_OpensItAgain_ANoteDoesNot(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var chat = await _h.AddChatAsync(_h.Shop, "Balasan", "+628120001", InboxHarness.Start, assignedTo: _h.Agent.UserId);
        var inbox = _h.Inbox(_h.TenantA);
        await inbox.SetResolvedAsync(_h.Agent, chat.Id, resolved: true);

        await inbox.AddNoteAsync(_h.Agent, chat.Id, "catatan untuk tim");
        Assert.NotNull((await _h.ReloadAsync(chat)).ResolvedAt);

        await inbox.SendTextAsync(_h.Agent, chat.Id, "satu hal lagi, kak");
        Assert.Null((await _h.ReloadAsync(chat)).ResolvedAt);
    }

    [Theory, Providers]
    public async Task AResolve_IsRefused_WhenACustomerMessageCameAfterTheNewestOneThePageShowed(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var chat = await _h.AddChatAsync(_h.Shop, "Baru Tanya", "+628120001", InboxHarness.Start, assignedTo: _h.Agent.UserId);
        var inbox = _h.Inbox(_h.TenantA);
        await _h.ReceiveAsync(chat, "pesanan sudah sampai, terima kasih");
        var shown = (await inbox.GetMessagesAsync(_h.Agent, chat.Id)).Messages[^1].Cursor;
        // In the same second as the one shown: the (time, id) order the page appends by still puts it after.
        await _h.ReceiveAsync(chat, "eh, satu lagi kak");
        await inbox.MarkReadAsync(_h.Agent, chat.Id);

        Assert.Equal(ResolveOutcome.NewMessage, await inbox.SetResolvedAsync(_h.Agent, chat.Id, true, shown));
        Assert.Null((await _h.ReloadAsync(chat)).ResolvedAt);
        // A page that showed nothing has not seen any of them.
        Assert.Equal(ResolveOutcome.NewMessage, await inbox.SetResolvedAsync(_h.Agent, chat.Id, true, seenUpTo: null));
        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        await _h.ReceiveAsync(chat, "dan yang ini");
        Assert.Equal(ResolveOutcome.NewMessage, await inbox.SetResolvedAsync(_h.Agent, chat.Id, true, shown));

        // Once the page shows the newest, it resolves; our own reply after the customer's does not hold it back.
        await inbox.SendTextAsync(_h.Agent, chat.Id, "siap kak");
        var newest = (await inbox.GetMessagesAsync(_h.Agent, chat.Id)).Messages;
        Assert.Equal(ResolveOutcome.Done, await inbox.SetResolvedAsync(_h.Agent, chat.Id, true, newest[^2].Cursor));
        Assert.Equal(InboxHarness.Start.AddMinutes(1), (await _h.ReloadAsync(chat)).ResolvedAt);
        Assert.Equal(ResolveOutcome.Unchanged, await inbox.SetResolvedAsync(_h.Agent, chat.Id, true, newest[^1].Cursor));
    }

    [Theory, Providers]
    public async Task ResolvingAndReopening_ByAPerson_AreInTheAuditLog_NamingTheWorkspaceNotTheCustomer(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var chat = await _h.AddChatAsync(_h.Shop, "Pelanggan Rahasia", "+628120001", InboxHarness.Start, assignedTo: _h.Agent.UserId);
        var inbox = _h.Inbox(_h.TenantA);

        // A second apart, so the entries' times give their order.
        async Task Then(Func<Task> step)
        {
            _h.Clock.Advance(TimeSpan.FromSeconds(1));
            await step();
        }
        await Then(() => inbox.SetResolvedAsync(_h.Agent, chat.Id, true));
        await Then(() => inbox.SetResolvedAsync(_h.Owner, chat.Id, false));
        await Then(() => inbox.SetResolvedAsync(_h.Owner, chat.Id, false));
        await Then(() => inbox.SetResolvedAsync(_h.Agent, chat.Id, true));
        await Then(() => inbox.SendTextAsync(_h.Agent, chat.Id, "satu hal lagi, kak"));
        // The customer's message opens it too, but that is no person's action in the team.
        await Then(async () => await inbox.SetResolvedAsync(_h.Agent, chat.Id, true, (await inbox.GetMessagesAsync(_h.Agent, chat.Id)).Messages[^1].Cursor));
        await Then(() => _h.ReceiveAsync(chat, "halo lagi"));

        await using var db = _h.Database.CreateSystem();
        var entries = await db.AuditEntries.Where(a => a.TargetId == chat.Id.ToString()).OrderBy(a => a.At)
            .Select(a => new { a.Action, a.ActorId, a.ActorType, a.TenantId, a.TargetType, a.Details }).ToListAsync();
        var workspace = _h.Shop.Name;
        Assert.Equal(
        [
            (InboxAuditActions.ChatResolved, _h.Agent.UserId, ChatAuditDetails.Of(workspace)),
            (InboxAuditActions.ChatReopened, _h.Owner.UserId, ChatAuditDetails.Of(workspace)),
            (InboxAuditActions.ChatResolved, _h.Agent.UserId, ChatAuditDetails.Of(workspace)),
            (InboxAuditActions.ChatReopened, _h.Agent.UserId, ChatAuditDetails.Of(workspace, ChatAuditDetails.ViaReply)),
            (InboxAuditActions.ChatResolved, _h.Agent.UserId, ChatAuditDetails.Of(workspace)),
        ], entries.Select(e => (e.Action, e.ActorId!.Value, e.Details!)));
        Assert.All(entries, e => Assert.Equal((AuditActorType.User, _h.TenantA, ChatAuditDetails.TargetType), (e.ActorType, e.TenantId!.Value, e.TargetType!)));
        Assert.All(entries, e => Assert.DoesNotContain("Rahasia", e.Details));
    }

    [Theory, Providers]
    public async Task TheRestApi_AndTheChatStatusWebhook_ShowTheResolvedState(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var chat = await _h.AddChatAsync(_h.Shop, "Lewat API", "+628120001", InboxHarness.Start);
        await using (var seed = _h.Database.CreateSystem())
        {
            seed.WebhookSubscriptions.Add(new WebhookSubscription { TenantId = _h.TenantA, Url = "https://receiver.example/kp", Events = WebhookEvents.ChatStatus });
            await seed.SaveChangesAsync();
        }
        var scope = _h.TenantScope(_h.TenantA);
        var api = scope.GetRequiredService<ApiMessageService>();
        var tenantKey = new ApiCaller(Guid.CreateVersion7(), _h.TenantA, null, "ERP", "abc", LicenceAllowsApi: true);
        var otherWorkspaceKey = tenantKey with { WorkspaceId = Guid.CreateVersion7() };
        var events = _h.Record(Topics.Workspace(_h.Shop.Id));
        var inbox = _h.Inbox(_h.TenantA);

        Assert.Null((await api.GetChatAsync(tenantKey, chat.Id))!.ResolvedAt);
        await inbox.SetResolvedAsync(_h.Owner, chat.Id, true);
        var resolved = await api.GetChatAsync(tenantKey, chat.Id);
        Assert.Equal((chat.Id, _h.Shop.Id, InboxHarness.Start), (resolved!.Id, resolved.WorkspaceId, resolved.ResolvedAt));
        Assert.Null(await api.GetChatAsync(otherWorkspaceKey, chat.Id));
        Assert.Null(await api.GetChatAsync(tenantKey with { TenantId = _h.TenantB }, chat.Id));

        // The bus event a person's resolve publishes becomes a chat.status delivery carrying the chat as the API shows it.
        await InboxHarness.HeardAsync(events, e => e is ChatChanged { Resolved: true } c && c.ChatId == chat.Id);
        ChatChanged changed;
        lock (events)
            changed = events.OfType<ChatChanged>().First(c => c.Resolved == true);
        Assert.True(WebhookEventTranslator.Carries(changed));
        Assert.False(WebhookEventTranslator.Carries(changed with { Resolved = null }));
        Assert.Equal(1, await scope.GetRequiredService<WebhookEventTranslator>().HandleAsync(changed));
        await using var db = _h.Database.CreateSystem();
        var delivery = await db.WebhookDeliveries.SingleAsync(d => d.TenantId == _h.TenantA);
        Assert.Equal(WebhookEvents.ChatStatus, delivery.Event);
        using var payload = System.Text.Json.JsonDocument.Parse(delivery.Payload);
        var data = payload.RootElement.GetProperty("data");
        Assert.Equal((chat.Id, InboxHarness.Start), (data.GetProperty("id").GetGuid(), data.GetProperty("resolvedAt").GetDateTimeOffset()));

        await inbox.SetResolvedAsync(_h.Owner, chat.Id, false);
        Assert.Null((await api.GetChatAsync(tenantKey, chat.Id))!.ResolvedAt);
        await InboxHarness.HeardAsync(events, e => e is ChatChanged { Resolved: false } c && c.ChatId == chat.Id);
    }

    [Theory, Providers]
    public async Task NobodyResolves_AChatTheyMayNotSee_OrAfterTheirDeactivation(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var held = await _h.AddChatAsync(_h.Shop, "Milik Agen2", "+628120001", InboxHarness.Start, assignedTo: _h.Agent2.UserId);
        var unassigned = await _h.AddChatAsync(_h.Shop, "Bebas", "+628120002", InboxHarness.Start);

        await Assert.ThrowsAsync<ChatNotFoundException>(() => _h.Inbox(_h.TenantA).SetResolvedAsync(_h.Agent, held.Id, true));
        await Assert.ThrowsAsync<ChatNotFoundException>(() => _h.Inbox(_h.TenantB).SetResolvedAsync(_h.OtherTenantOwner, unassigned.Id, true));
        await using (var db = _h.Database.CreateSystem())
            await db.Users.Where(u => u.Id == _h.Agent.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false));
        await Assert.ThrowsAsync<ChatNotFoundException>(() => _h.Inbox(_h.TenantA).SetResolvedAsync(_h.Agent, unassigned.Id, true));

        Assert.Null((await _h.ReloadAsync(held)).ResolvedAt);
        Assert.Null((await _h.ReloadAsync(unassigned)).ResolvedAt);
    }

    [Theory, Providers]
    public async Task AnAgentsUnreadBadges_CountTheirChatsAndUnassignedOnes_AManagersTheWholeWorkspace(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var mine = await _h.AddChatAsync(_h.Shop, "Milik Agen", "+628120001", InboxHarness.Start, assignedTo: _h.Agent.UserId);
        var theirs = await _h.AddChatAsync(_h.Shop, "Milik Agen2", "+628120002", InboxHarness.Start, assignedTo: _h.Agent2.UserId);
        var free = await _h.AddChatAsync(_h.Shop, "Bebas", "+628120003", InboxHarness.Start);
        await _h.ReceiveAsync(mine, "a");
        await _h.ReceiveAsync(theirs, "b");
        await _h.ReceiveAsync(theirs, "c");
        await _h.ReceiveAsync(free, "d");
        var directory = _h.TenantScope(_h.TenantA).GetRequiredService<WorkspaceDirectory>();

        Assert.Equal((2, 2), Counts(await directory.ListForUserAsync(_h.Agent.UserId, UserRole.Agent), _h.Shop.Id));
        Assert.Equal((2, 3), Counts(await directory.ListForUserAsync(_h.Agent2.UserId, UserRole.Agent), _h.Shop.Id));
        Assert.Equal((3, 4), Counts(await directory.ListForUserAsync(_h.Owner.UserId, UserRole.Owner), _h.Shop.Id));

        // An unread chat changing hands moves the agents' badges: the tenant hears it, so their pages read them again.
        var tenantEvents = _h.Record(Topics.Tenant(_h.TenantA));
        await _h.Inbox(_h.TenantA).AssignAsync(_h.Owner, theirs.Id, _h.Agent.UserId);
        await InboxHarness.HeardAsync(tenantEvents, e => e is UnreadCountsChanged changed && changed.WorkspaceId == _h.Shop.Id);
        Assert.Equal((3, 4), Counts(await directory.ListForUserAsync(_h.Agent.UserId, UserRole.Agent), _h.Shop.Id));
        Assert.Equal((1, 1), Counts(await directory.ListForUserAsync(_h.Agent2.UserId, UserRole.Agent), _h.Shop.Id));
    }

    private static List<Guid> Ids(ChatPage page) => page.Items.Select(c => c.Id).ToList();

    private static (int Chats, int Messages) Counts(IReadOnlyList<WorkspaceSummary> workspaces, Guid workspaceId) =>
        workspaces.Where(w => w.Id == workspaceId).Select(w => (w.UnreadChats, w.UnreadMessages)).Single();
}
