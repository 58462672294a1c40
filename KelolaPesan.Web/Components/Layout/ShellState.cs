using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Web.Accounts;

namespace KelolaPesan.Web.Components.Layout;

/// <summary>
/// Per-circuit shell state: the user's workspaces with their stored unread counters, the selected
/// workspace and the UI preferences. Refreshed from realtime events, coalesced so a burst of inbound
/// messages causes one reload at a time, not one per event.
/// </summary>
public sealed class ShellState(WorkspaceDirectory directory, AccountService accounts, CurrentUser user, IRealtimeBus bus) : IDisposable
{
    private IDisposable? _subscription;
    private int _refreshing;
    private int _dirty;

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

    /// <summary>Raised after any change; subscribers re-render with InvokeAsync(StateHasChanged).</summary>
    public event Func<Task>? Changed;

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
    /// Returns at once: the reload (a query) runs on its own, so the bus hands this subscriber the next event without
    /// waiting for it, and events arriving meanwhile only leave the dirty mark (one reload for a burst).
    /// </summary>
    private Task OnEventAsync(RealtimeEvent evt)
    {
        if (evt is UnreadCountsChanged or WorkspaceStatusChanged)
            _ = RefreshInBackgroundAsync();
        return Task.CompletedTask;
    }

    private async Task RefreshInBackgroundAsync()
    {
        try
        {
            await RefreshAsync();
        }
        catch (Exception)
        {
            // The circuit went away mid-reload, or the database did not answer: the counters stay as they were and the
            // next event reloads them (nobody awaits this task, so a throw would only go unobserved).
        }
    }

    private async Task RefreshAsync()
    {
        Interlocked.Exchange(ref _dirty, 1);
        // Whoever wins the flag reloads until nothing new arrived; the others just leave the dirty mark.
        while (Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0)
        {
            try
            {
                while (Interlocked.Exchange(ref _dirty, 0) == 1)
                {
                    Workspaces = await directory.ListForUserAsync(user.UserId, user.TenantRole ?? UserRole.Agent);
                    await NotifyAsync();
                }
            }
            finally
            {
                Interlocked.Exchange(ref _refreshing, 0);
            }
            if (Volatile.Read(ref _dirty) == 0)
                return;
        }
    }

    private Task NotifyAsync() => Changed?.Invoke() ?? Task.CompletedTask;

    public void Dispose() => _subscription?.Dispose();
}
