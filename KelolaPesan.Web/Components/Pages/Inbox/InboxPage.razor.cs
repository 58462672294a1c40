using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Web.Accounts;
using KelolaPesan.Web.Components.Layout;
using KelolaPesan.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace KelolaPesan.Web.Components.Pages.Inbox;

/// <summary>
/// The inbox: chat list and the open conversation. Listens on the workspace topics of every workspace the
/// user may see and coalesces bursts into one refresh of the list and the open conversation.
/// </summary>
public partial class InboxPage
{
    [Parameter] public Guid? ChatId { get; set; }

    [Inject] private ShellState Shell { get; set; } = null!;
    [Inject] private CurrentUser User { get; set; } = null!;
    [Inject] private IRealtimeBus Bus { get; set; } = null!;
    [Inject] private InboxService Inbox { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ILogger<InboxPage> Logger { get; set; } = null!;
    [Inject] private IStringLocalizer<InboxText> T { get; set; } = null!;

    private readonly Lock _lock = new();
    private readonly List<IDisposable> _subscriptions = [];
    private readonly HashSet<Guid> _changedMessages = [];
    private RefreshCoalescer? _coalescer;
    private InboxViewer _viewer = null!;
    private ChatList? _chatList;
    private Conversation? _conversation;
    private bool _allWorkspaces;
    private bool _listDirty;
    private long _listMark;
    private bool _labelsDirty;
    private bool _newMessages;
    private bool _chatDirty;
    private Guid? _markedReadChat;
    private IReadOnlyDictionary<Guid, string> _workspaceNames = new Dictionary<Guid, string>();

    private Guid? ShownWorkspaceId => _allWorkspaces ? null : Shell.SelectedWorkspaceId;

    protected override async Task OnInitializedAsync()
    {
        _viewer = User.ToInboxViewer();
        _coalescer = new RefreshCoalescer(RefreshCoalescer.DefaultDelay, () => InvokeAsync(FlushAsync), Logger);
        Shell.Changed += OnShellChanged;
        await Shell.InitializeAsync();
        Subscribe();
    }

    protected override async Task OnParametersSetAsync()
    {
        // Opening a chat reads it, for everyone: the badges clear in every browser through UnreadCountsChanged.
        if (ChatId is { } chatId && _markedReadChat != chatId && RendererInfo.IsInteractive)
        {
            _markedReadChat = chatId;
            await MarkReadAsync(chatId);
        }
    }

    private async Task MarkReadAsync(Guid chatId)
    {
        try
        {
            await Inbox.MarkReadAsync(_viewer, chatId);
        }
        catch (ChatNotFoundException)
        {
            // The conversation shows "not found" itself.
        }
    }

    private void Subscribe()
    {
        var ids = Shell.Workspaces.Select(w => w.Id).ToList();
        _workspaceNames = Shell.Workspaces.ToDictionary(w => w.Id, w => w.Name);
        lock (_lock)
        {
            foreach (var subscription in _subscriptions)
                subscription.Dispose();
            _subscriptions.Clear();
            foreach (var id in ids)
                _subscriptions.Add(Bus.Subscribe(Topics.Workspace(id), OnEventAsync));
        }
    }

    /// <summary>
    /// Only what this page shows schedules a refresh: the list's workspace (every one in the all-workspaces view)
    /// and the open chat. Traffic in the user's other workspaces costs a comparison, not a query. The list's refresh
    /// needs a read started after the latest event (<see cref="InboxService.MarkChatLists"/>).
    /// </summary>
    private Task OnEventAsync(RealtimeEvent evt)
    {
        var shown = ShownWorkspaceId;
        var mark = Inbox.MarkChatLists();
        lock (_lock)
        {
            switch (evt)
            {
                case ChatMessageAdded added when shown is null || added.WorkspaceId == shown || added.ChatId == ChatId:
                    ListChanged(shown is null || added.WorkspaceId == shown, mark);
                    _newMessages |= added.ChatId == ChatId;
                    break;
                case ChatMessageStatusChanged status when status.ChatId == ChatId:
                    _changedMessages.Add(status.MessageId);
                    break;
                case ChatChanged changed when shown is null || changed.WorkspaceId == shown || changed.ChatId == ChatId:
                    ListChanged(shown is null || changed.WorkspaceId == shown, mark);
                    _labelsDirty |= shown is null || changed.WorkspaceId == shown;
                    _chatDirty |= changed.ChatId == ChatId;
                    break;
                case BackplaneResumed:
                    // Another node's events during a Redis outage never came: everything shown is read again.
                    ListChanged(true, mark);
                    (_newMessages, _labelsDirty, _chatDirty) = (true, true, true);
                    break;
                default:
                    return Task.CompletedTask;
            }
        }
        _coalescer?.Schedule();
        return Task.CompletedTask;
    }

    private void ListChanged(bool changed, long mark)
    {
        if (!changed)
            return;
        _listDirty = true;
        _listMark = mark;
    }

    private async Task FlushAsync()
    {
        bool list, labels, added, chat;
        long mark;
        Guid[] changed;
        lock (_lock)
        {
            (list, labels, added, chat, mark, changed) = (_listDirty, _labelsDirty, _newMessages, _chatDirty, _listMark, [.. _changedMessages]);
            (_listDirty, _labelsDirty, _newMessages, _chatDirty) = (false, false, false, false);
            _changedMessages.Clear();
        }
        if (_conversation is not null && ChatId is { } open)
        {
            if (added && await _conversation.AppendNewAsync())
                await MarkReadAsync(open);
            if (changed.Length > 0)
                await _conversation.RefreshMessagesAsync(changed);
            if (chat)
                await _conversation.ReloadChatAsync();
        }
        if (list && _chatList is not null)
            await _chatList.RefreshAsync(mark, labels);
    }

    private async Task OnShellChanged()
    {
        await InvokeAsync(() =>
        {
            if (!_workspaceNames.Keys.Order().SequenceEqual(Shell.Workspaces.Select(w => w.Id).Order()))
                Subscribe();
            StateHasChanged();
        });
    }

    private Task OnAllWorkspacesChanged(bool value)
    {
        _allWorkspaces = value;
        return Task.CompletedTask;
    }

    private Task OpenQuickRepliesAsync(Guid workspaceId) =>
        Dialogs.ShowAsync<QuickRepliesDialog>(T["QuickReplies_Title"],
            new DialogParameters<QuickRepliesDialog> { { d => d.WorkspaceId, workspaceId }, { d => d.Viewer, _viewer } },
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseButton = true });

    public void Dispose()
    {
        Shell.Changed -= OnShellChanged;
        _coalescer?.Dispose();
        lock (_lock)
        {
            foreach (var subscription in _subscriptions)
                subscription.Dispose();
            _subscriptions.Clear();
        }
    }
}
