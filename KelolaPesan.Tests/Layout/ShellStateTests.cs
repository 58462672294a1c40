using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using KelolaPesan.Tests.Inbox;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web.Accounts;
using KelolaPesan.Web.Components.Layout;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Layout;

/// <summary>
/// Issue 18: the shell's unread counters move from the event's own figures (no query, no coalescing interval to wait
/// for), re-read once the events stop; an event without figures (an older node) or of a workspace the user does not see
/// is re-read as before. Over the real services and database (<see cref="InboxHarness"/>) and the in-process bus.
/// </summary>
public sealed class ShellStateTests : IAsyncLifetime
{
    private InboxHarness _h = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_h is not null)
            await _h.DisposeAsync();
    }

    [Theory, Providers]
    public async Task CountersAnEventCarries_ShowAtOnce_AndTheStoredOnesAreReadAgainOnceTheEventsStop(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var chat = await _h.AddChatAsync(_h.Shop, "Andi", "+628120001", InboxHarness.Start);
        await _h.ReceiveAsync(chat, "satu");
        await _h.ReceiveAsync(chat, "dua");
        using var shell = Shell(_h.Owner.UserId, UserRole.Owner);
        await shell.InitializeAsync();
        Assert.Equal(2, shell.TotalUnread);

        // Figures the database does not hold: only the event can have put them there.
        await _h.Bus.PublishAsync(Topics.Tenant(_h.TenantA), new UnreadCountsChanged(_h.TenantA, _h.Shop.Id, UnreadChats: 3, UnreadMessages: 9));
        await UntilAsync(() => shell.TotalUnread == 9, "the event's figure");
        Assert.Equal(3, shell.Workspaces.Single(w => w.Id == _h.Shop.Id).UnreadChats);
        // No further event: the settling re-read puts the stored figures back.
        await UntilAsync(() => shell.TotalUnread == 2, "the stored figure read again");

        // An event without figures (a node of an older build) re-reads the stored counters.
        await _h.ReceiveAsync(chat, "tiga");
        await _h.Bus.PublishAsync(Topics.Tenant(_h.TenantA), new UnreadCountsChanged(_h.TenantA, _h.Shop.Id));
        await UntilAsync(() => shell.TotalUnread == 3, "the re-read after an event without figures");
    }

    [Theory, Providers]
    public async Task AnAgentsShell_ShowsOnlyTheirWorkspaces_WhateverTheEventsOfOthersCarry(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        using var shell = Shell(_h.Agent2.UserId, UserRole.Agent);
        await shell.InitializeAsync();
        Assert.Equal([_h.Shop.Id], shell.Workspaces.Select(w => w.Id));
        var chat = await _h.AddChatAsync(_h.Shop, "Andi", "+628120001", InboxHarness.Start);
        await _h.ReceiveAsync(chat, "satu");
        await _h.ReceiveAsync(chat, "dua");

        // Care is not Agent2's: its figures are no business of this shell (a re-read finds it still not theirs).
        await _h.Bus.PublishAsync(Topics.Tenant(_h.TenantA), new UnreadCountsChanged(_h.TenantA, _h.Care.Id, UnreadChats: 1, UnreadMessages: 50));
        await _h.Bus.PublishAsync(Topics.Tenant(_h.TenantA), new UnreadCountsChanged(_h.TenantA, _h.Shop.Id, UnreadChats: 1, UnreadMessages: 2));
        await UntilAsync(() => shell.TotalUnread == 2, "the shop's figure");
        Assert.Equal([_h.Shop.Id], shell.Workspaces.Select(w => w.Id));
    }

    [Theory, Providers]
    public async Task AnAgentsShell_CountsTheirChatsAndUnassignedOnes_NotTheWorkspaceFiguresAnEventCarries(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        using var shell = Shell(_h.Agent2.UserId, UserRole.Agent);
        await shell.InitializeAsync();
        var theirs = await _h.AddChatAsync(_h.Shop, "Milik Agen", "+628120001", InboxHarness.Start, assignedTo: _h.Agent.UserId);
        var free = await _h.AddChatAsync(_h.Shop, "Bebas", "+628120002", InboxHarness.Start);
        await _h.ReceiveAsync(theirs, "satu");
        await _h.ReceiveAsync(theirs, "dua");
        await _h.ReceiveAsync(free, "tiga");

        var shown = new List<int>();
        shell.AnyChanged += () =>
        {
            lock (shown)
                shown.Add(shell.TotalUnread);
            return Task.CompletedTask;
        };

        // The workspace's stored figures (2 chats, 3 messages) travel with the event; Agent2's inbox shows one of them,
        // and the badge never shows the others' (not even until a re-read).
        var shop = await _h.ReloadAsync(_h.Shop);
        await _h.Bus.PublishAsync(Topics.Tenant(_h.TenantA), new UnreadCountsChanged(_h.TenantA, _h.Shop.Id, shop.UnreadChats, shop.UnreadMessages));
        await UntilAsync(() => shell.TotalUnread == 1, "the agent's own count");
        Assert.Equal(1, shell.Workspaces.Single().UnreadChats);
        await Task.Delay(ShellState.CounterRefreshInterval * 2);
        Assert.Equal(1, shell.TotalUnread);
        lock (shown)
            Assert.All(shown, total => Assert.True(total <= 1, $"the badge showed {total}"));
    }

    // Issue 21: steady traffic in any of the user's workspaces moved the counters up to 10 times a second, and each move
    // re-rendered the layout and the open page of every circuit; only what shows counters hears a counters-only change.
    [Theory, Providers]
    public async Task ACountersOnlyChange_RaisesAnyChanged_NotChanged(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        using var shell = Shell(_h.Owner.UserId, UserRole.Owner);
        await shell.InitializeAsync();
        var (changed, counters) = (0, 0);
        shell.Changed += () => { Interlocked.Increment(ref changed); return Task.CompletedTask; };
        shell.AnyChanged += () => { Interlocked.Increment(ref counters); return Task.CompletedTask; };

        await _h.Bus.PublishAsync(Topics.Tenant(_h.TenantA), new UnreadCountsChanged(_h.TenantA, _h.Shop.Id, UnreadChats: 1, UnreadMessages: 4));
        await UntilAsync(() => Volatile.Read(ref counters) > 0 && shell.TotalUnread == 4, "the counters' notice");
        // The settling re-read finds only counters changed too (back to the stored 0).
        await UntilAsync(() => shell.TotalUnread == 0 && Volatile.Read(ref counters) > 1, "the re-read's notice");
        Assert.Equal(0, Volatile.Read(ref changed));

        await shell.SelectWorkspaceAsync(_h.Care.Id);
        Assert.Equal(1, Volatile.Read(ref changed));
    }

    /// <summary>A circuit's shell for a signed-in user of tenant A.</summary>
    private ShellState Shell(Guid userId, UserRole role) => For(_h, userId, role);

    /// <summary>The shell of a signed-in user of tenant A, over the harness's real services (also for component tests).</summary>
    internal static ShellState For(InboxHarness h, Guid userId, UserRole role)
    {
        var scope = h.TenantScope(h.TenantA);
        var user = new CurrentUser(scope.GetRequiredService<TenantContext>());
        user.Set(CurrentUser.CreatePrincipal(new SignedInUser(userId, "Pengguna", role.ToString(), h.TenantA, null, UiLanguage.Indonesian, UiTheme.Light), "test"));
        return new ShellState(scope.GetRequiredService<WorkspaceDirectory>(), scope.GetRequiredService<AccountService>(), user, h.Bus);
    }

    private static async Task UntilAsync(Func<bool> done, string what)
    {
        for (var waited = 0; !done(); waited += 10)
        {
            if (waited > 10_000)
                throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}.");
            await Task.Delay(10);
        }
    }
}
