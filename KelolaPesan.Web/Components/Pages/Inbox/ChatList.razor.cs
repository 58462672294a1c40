using KelolaPesan.Core.Inbox;
using KelolaPesan.Web.Accounts;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web.Virtualization;
using Microsoft.Extensions.Localization;

namespace KelolaPesan.Web.Components.Pages.Inbox;

/// <summary>
/// The chat list: &lt;Virtualize&gt; asks for rows by index; they are served from pages fetched with the
/// service's keyset cursor, so tens of thousands of chats cost one small query per screenful.
/// </summary>
public partial class ChatList : IDisposable
{
    public const int PageSize = 50;

    [Parameter, EditorRequired] public InboxViewer Viewer { get; set; } = null!;
    [Parameter] public Guid? WorkspaceId { get; set; }
    [Parameter] public Guid? SelectedChatId { get; set; }
    [Parameter] public IReadOnlyDictionary<Guid, string> WorkspaceNames { get; set; } = new Dictionary<Guid, string>();

    [Inject] private InboxService Inbox { get; set; } = null!;
    [Inject] private UserClock Clock { get; set; } = null!;
    [Inject] private IStringLocalizer<InboxText> T { get; set; } = null!;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<ChatListItem> _items = [];
    private Virtualize<ChatListItem>? _virtualize;
    private ChatCursor? _next;
    private bool _started;
    private int _generation;
    private long _mark;
    private string? _search;
    private bool _unread, _mine, _unassigned, _resolved;
    private Guid? _labelId;
    private Guid? _shownWorkspace;
    private bool _firstParameters = true;
    private IReadOnlyList<LabelView> _labels = [];

    // Nothing at all (not just nothing matching a search or filter): the empty list offers to connect a number.
    private bool Filtered => !string.IsNullOrWhiteSpace(_search) || _unread || _mine || _unassigned || _resolved || _labelId is not null;

    /// <summary>The rows loaded so far (for tests and the page).</summary>
    public IReadOnlyList<ChatListItem> Loaded => _items;

    protected override Task OnInitializedAsync() => Clock.ReadyAsync();

    protected override async Task OnParametersSetAsync()
    {
        if (_firstParameters || _shownWorkspace != WorkspaceId)
        {
            _firstParameters = false;
            _shownWorkspace = WorkspaceId;
            _labelId = null;
            _labels = WorkspaceId is { } id ? await Inbox.ListLabelsAsync(Viewer, id) : [];
            await ResetAsync();
        }
    }

    /// <summary>
    /// Reloads from the top (new activity re-sorts the list); the visible window is fetched again, from reads that
    /// started after <paramref name="mark"/> (when the event arrived), which the other open inboxes refreshing for the
    /// same event share. The workspace's labels (the filter chips) are read again only when <paramref name="labels"/>: a
    /// new message changes none, and every open page refreshing at once for one message paid that query too (issue 21).
    /// </summary>
    public async Task RefreshAsync(long mark, bool labels = true)
    {
        if (labels && WorkspaceId is { } id)
            _labels = await Inbox.ListLabelsAsync(Viewer, id);
        await ResetAsync(mark);
    }

    // Loads the user asks for (first show, search, filters) want a read from now on.
    private Task ResetAsync() => ResetAsync(Inbox.MarkChatLists());

    private async Task ResetAsync(long mark)
    {
        await _gate.WaitAsync();
        try
        {
            _items.Clear();
            _next = null;
            _started = false;
            _generation++;
            _mark = mark;
        }
        finally
        {
            _gate.Release();
        }
        if (_virtualize is not null)
            await _virtualize.RefreshDataAsync();
        StateHasChanged();
    }

    private async ValueTask<ItemsProviderResult<ChatListItem>> LoadAsync(ItemsProviderRequest request)
    {
        await _gate.WaitAsync(request.CancellationToken);
        try
        {
            var generation = _generation;
            while (_items.Count < request.StartIndex + request.Count && (!_started || _next is not null))
            {
                var page = await Inbox.ListChatsAsync(Viewer, Query(_next), _mark, request.CancellationToken);
                if (generation != _generation)
                    break;
                _started = true;
                _items.AddRange(page.Items);
                _next = page.Next;
            }
            var slice = _items.Skip(request.StartIndex).Take(request.Count).ToList();
            // One more than loaded while more exist: scrolling to the end asks for the next page.
            return new ItemsProviderResult<ChatListItem>(slice, _items.Count + (_next is null ? 0 : 1));
        }
        finally
        {
            _gate.Release();
        }
    }

    private ChatListQuery Query(ChatCursor? after) =>
        new(WorkspaceId, _search, _unread, _mine, _unassigned, _labelId, after, PageSize, _resolved);

    private Task OnSearchChanged(string? value)
    {
        _search = value;
        return ResetAsync();
    }

    private Task Toggle(ref bool flag)
    {
        flag = !flag;
        return ResetAsync();
    }

    private Task ToggleLabel(Guid id)
    {
        _labelId = _labelId == id ? null : id;
        return ResetAsync();
    }

    public void Dispose() => _gate.Dispose();
}
