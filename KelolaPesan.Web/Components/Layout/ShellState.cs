using System.Diagnostics;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Web.Accounts;
using KelolaPesan.Web.Components.Shared;

namespace KelolaPesan.Web.Components.Layout;

/// <summary>
/// Per-circuit shell state: the user's workspaces with their stored unread counters, the selected
/// workspace and the UI preferences. Kept current from realtime events: the counters an event carries are shown at
/// once (no query), anything else is reloaded, coalesced so a burst of events causes one reload at a time.
/// </summary>
public sealed class ShellState(WorkspaceDirectory directory, AccountService accounts, CurrentUser user, IRealtimeBus bus) : IDisposable
{
    private IDisposable? _subscription;

    public IReadOnlyList<WorkspaceSummary> Workspaces { get; private set; } = [];
    public Guid? SelectedWorkspaceId { get; private set; }
    public WorkspaceSummary? SelectedWorkspace => Workspaces.FirstOrDefault(w => w.Id == SelectedWorkspaceId);
    public int TotalUnread => Workspaces.Sum(w => w.UnreadMessages);
    public UiLanguage Language { get; private set; }
    public UiTheme Theme { get; private set; }
    public bool IsInitialized { get; private set; }

    /// <summary>The user's inbox alerts (sound, desktop notification); changed on /account, applied at once.</summary>
    public InboxAlertSettings Alerts { get; private set; } = InboxAlertSettings.Off;

    /// <summary>The name the app bar shows: the cookie's until the user changes it on /account.</summary>
    public string DisplayName => _displayName ?? user.DisplayName;

    private string? _displayName;

    /// <summary>
    /// Raised after a change of anything but the unread counters alone (the workspaces, the selection, the preferences);
    /// subscribers re-render with InvokeAsync(StateHasChanged).
    /// </summary>
    public event Func<Task>? Changed;

    /// <summary>
    /// Raised after every change, <see cref="Changed"/> or counters alone (an event's figures, a re-read that found
    /// nothing else new): the latter up to 10 times a second under steady traffic in any of the user's workspaces. What
    /// shows counters listens to this one; the layout and the pages listen to <see cref="Changed"/> only, and need not
    /// re-render for another workspace's message (issue 21).
    /// </summary>
    public event Func<Task>? AnyChanged;

    /// <summary>
    /// Loads the shell once per circuit. Every caller (the layout and the pages that need the workspaces) awaits the
    /// same load, and <see cref="Changed"/> fires when it is done: a component that rendered while the database was
    /// still answering (any truly asynchronous provider, e.g. PostgreSQL; SQLite answers synchronously) re-renders.
    /// </summary>
    public Task InitializeAsync()
    {
        if (!user.IsAuthenticated)
            return Task.CompletedTask;
        // A failed load is not remembered: the next caller tries again.
        if (_initialization is null || _initialization.IsFaulted)
            _initialization = LoadAsync();
        return _initialization;
    }

    private Task? _initialization;

    private async Task LoadAsync()
    {
        (Language, Theme) = await accounts.GetPreferencesAsync(user.UserId, user.IsAdmin);
        if (user.TenantId is { } tenantId && user.TenantRole is { } role and not UserRole.AgencyOwner)
        {
            Workspaces = await directory.ListForUserAsync(user.UserId, role);
            Alerts = await accounts.GetInboxAlertsAsync(user.UserId);
            SelectedWorkspaceId = Workspaces.FirstOrDefault()?.Id;
            _subscription?.Dispose();
            _coalescer ??= new RefreshCoalescer(CounterRefreshInterval, ReloadAsync);
            _shown ??= new RefreshCoalescer(RefreshCoalescer.DefaultDelay, NotifyAnyAsync);
            _settle ??= new Timer(_ => _coalescer?.Schedule());
            _subscription = bus.Subscribe(Topics.Tenant(tenantId), OnEventAsync);
        }
        IsInitialized = true;
        await NotifyAsync();
    }

    public Task SelectWorkspaceAsync(Guid workspaceId)
    {
        if (Workspaces.Any(w => w.Id == workspaceId))
            SelectedWorkspaceId = workspaceId;
        return NotifyAsync();
    }

    public async Task SetThemeAsync(UiTheme theme)
    {
        Theme = theme;
        await accounts.SavePreferencesAsync(user.UserId, user.IsAdmin, Language, Theme);
        await NotifyAsync();
    }

    public Task SaveLanguageAsync(UiLanguage language)
    {
        Language = language;
        return accounts.SavePreferencesAsync(user.UserId, user.IsAdmin, Language, Theme);
    }

    /// <summary>After /account saved the profile: the new name and theme show at once (the language needs a reload).</summary>
    public Task ApplyProfileAsync(string displayName, UiLanguage language, UiTheme theme)
    {
        (_displayName, Language, Theme) = (displayName, language, theme);
        return NotifyAsync();
    }

    public Task ApplyAlertsAsync(InboxAlertSettings alerts)
    {
        Alerts = alerts;
        return NotifyAsync();
    }

    /// <summary>
    /// Returns at once. Counters an event carries (<see cref="UnreadCountsChanged"/> from a publisher that read them after
    /// its commit; per workspace, the same for every user who sees it) are shown without a query, the re-render coalesced
    /// at <see cref="RefreshCoalescer.DefaultDelay"/> like the inbox list's own refresh: a coalesced reload made a message
    /// that came within <see cref="CounterRefreshInterval"/> of the previous one wait for its trailing reload (issue 18,
    /// 1.2 s from webhook to badge). Since two commits' events may arrive in either order, the counters are re-read once
    /// no such event came for <see cref="CounterRefreshInterval"/> (a steady stream costs no query at all). Anything else
    /// (an event without figures, of a workspace not in the list, a status change) reloads through a leading-edge
    /// coalescer: at once for a lone event, at most one reload per <see cref="CounterRefreshInterval"/> per circuit.
    /// Reloading back to back instead kept every open page querying and re-rendering without pause under steady webhook
    /// traffic, which starved the ingest (issue 21, live-latency).
    /// </summary>
    private Task OnEventAsync(RealtimeEvent evt)
    {
        // An event's figures are the workspace's, which an agent's badges are not (their chats and unassigned ones only).
        if (evt is UnreadCountsChanged { UnreadChats: { } chats, UnreadMessages: { } messages } counted && user.TenantRole != UserRole.Agent
            && Show(counted.WorkspaceId, chats, messages))
            _settle?.Change(CounterRefreshInterval, Timeout.InfiniteTimeSpan);
        else if (evt is UnreadCountsChanged or WorkspaceStatusChanged or BackplaneResumed)
            _coalescer?.Schedule();
        return Task.CompletedTask;
    }

    /// <summary>The shortest gap between two reloads of the unread counters of one circuit.</summary>
    public static readonly TimeSpan CounterRefreshInterval = TimeSpan.FromMilliseconds(500);

    private readonly Lock _countersLock = new();

    /// <summary>When an event's counters were last shown, per workspace (a reload that started earlier keeps them).</summary>
    private readonly Dictionary<Guid, long> _shownAt = [];

    private RefreshCoalescer? _coalescer;
    private RefreshCoalescer? _shown;
    private Timer? _settle;

    /// <summary>False when the workspace is not in the user's list (a reload finds out whether it should be).</summary>
    private bool Show(Guid workspaceId, int chats, int messages)
    {
        lock (_countersLock)
        {
            var workspaces = Workspaces.ToArray();
            var index = Array.FindIndex(workspaces, w => w.Id == workspaceId);
            if (index < 0)
                return false;
            _shownAt[workspaceId] = Stopwatch.GetTimestamp();
            var current = workspaces[index];
            if (current.UnreadChats == chats && current.UnreadMessages == messages)
                return true;
            workspaces[index] = current with { UnreadChats = chats, UnreadMessages = messages };
            Workspaces = workspaces;
        }
        _shown?.Schedule();
        return true;
    }

    private async Task ReloadAsync()
    {
        // A throw (the circuit went away mid-reload, the database did not answer) leaves the counters as they were;
        // the coalescer logs nothing and the next event reloads them.
        var started = Stopwatch.GetTimestamp();
        var loaded = await directory.ListForUserAsync(user.UserId, user.TenantRole ?? UserRole.Agent);
        bool countersOnly;
        lock (_countersLock)
        {
            // Counters an event brought while the query ran may be newer than what it read: they stay (that event's
            // settling re-read follows).
            var before = Workspaces;
            Workspaces = loaded.Select(w => _shownAt.GetValueOrDefault(w.Id) > started && Workspaces.FirstOrDefault(c => c.Id == w.Id) is { } shown
                ? w with { UnreadChats = shown.UnreadChats, UnreadMessages = shown.UnreadMessages }
                : w).ToList();
            countersOnly = before.Count == Workspaces.Count
                && before.Zip(Workspaces).All(p => p.First with { UnreadChats = 0, UnreadMessages = 0 } == p.Second with { UnreadChats = 0, UnreadMessages = 0 });
        }
        await (countersOnly ? NotifyAnyAsync() : NotifyAsync());
    }

    private async Task NotifyAsync()
    {
        await (Changed?.Invoke() ?? Task.CompletedTask);
        await NotifyAnyAsync();
    }

    private Task NotifyAnyAsync() => AnyChanged?.Invoke() ?? Task.CompletedTask;

    public void Dispose()
    {
        _subscription?.Dispose();
        _settle?.Dispose();
        _coalescer?.Dispose();
        _shown?.Dispose();
    }
}
