using KelolaPesan.Core.Inbox;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.JSInterop;
using MudBlazor;
using KelolaPesan.Web.Accounts;
using KelolaPesan.Web.Components.Shared;

namespace KelolaPesan.Web.Components.Pages.Inbox;

/// <summary>
/// One conversation: the newest page first, older pages when the agent scrolls to the top (a small JS
/// observer calls <see cref="LoadOlderAsync"/>), new messages appended on realtime events.
/// </summary>
public partial class Conversation : IAsyncDisposable
{
    [Parameter, EditorRequired] public Guid ChatId { get; set; }
    [Parameter, EditorRequired] public InboxViewer Viewer { get; set; } = null!;

    [Inject] private InboxService Inbox { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private CurrentUser User { get; set; } = null!;
    [Inject] private IStringLocalizer<InboxText> T { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private UserClock Clock { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;

    private readonly List<MessageView> _messages = [];
    private ChatDetail? _chat;
    private MessageCursor? _older;
    private bool _notFound;
    private bool _loadingOlder;
    private bool _scrollToBottom;
    // Below 960 px the details (assignment, labels) are a step of their own, shown instead of the messages.
    private bool _details;
    private bool _resolving;
    private ElementReference _scroller;
    private ElementReference _topSentinel;
    private JsModule? _module;
    private DotNetObjectReference<Conversation>? _self;

    public IReadOnlyList<MessageView> Messages => _messages;

    private bool Resolved => _chat?.ResolvedAt is not null;

    protected override async Task OnInitializedAsync()
    {
        await Clock.ReadyAsync();
        _chat = await Inbox.GetChatAsync(Viewer, ChatId);
        if (_chat is null)
        {
            // Another tenant's id, or a chat this member may not see: the not-found page (HTTP 404 when first served).
            // A chat that goes away while open (handed over, deleted) keeps the notice in place instead.
            _notFound = true;
            Navigation.NotFound();
            return;
        }
        var page = await Inbox.GetMessagesAsync(Viewer, ChatId);
        _messages.AddRange(page.Messages);
        _older = page.Older;
        _scrollToBottom = true;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Nothing to observe before a render has drawn the scroller: on PostgreSQL the first render comes while the
        // chat's queries still run, and _chat can be set before the render that draws it (the messages still loading).
        // Handing JS a scroller not rendered yet killed the circuit (an empty conversation pane); its captured id says
        // whether a render has drawn it.
        if (_notFound || _chat is null || !RendererInfo.IsInteractive || string.IsNullOrEmpty(_scroller.Id))
            return;
        if (_module is null)
        {
            _module = new JsModule(JS, "./Components/Pages/Inbox/Conversation.razor.js");
            if (!await _module.ImportAsync())
                return;
            _self = DotNetObjectReference.Create(this);
            await _module.InvokeVoidAsync("observeTop", _scroller, _self);
        }
        if (_scrollToBottom)
        {
            _scrollToBottom = false;
            await _module.InvokeVoidAsync("scrollToBottom", _scroller);
        }
    }

    /// <summary>Loads the page before the oldest shown message, keeping the agent's place in the history.</summary>
    [JSInvokable]
    public async Task LoadOlderAsync()
    {
        if (_older is null || _loadingOlder)
            return;
        _loadingOlder = true;
        try
        {
            var page = await Inbox.GetMessagesAsync(Viewer, ChatId, _older);
            _messages.InsertRange(0, page.Messages.Where(m => _messages.All(x => x.Id != m.Id)));
            _older = page.Older;
            if (_module is not null)
                await _module.InvokeVoidAsync("keepPosition", _scroller);
        }
        finally
        {
            _loadingOlder = false;
        }
        StateHasChanged();
    }

    /// <summary>Appends what arrived after the newest shown message; true when an inbound message was among them.</summary>
    public async Task<bool> AppendNewAsync()
    {
        if (_chat is null)
            return false;
        var newer = _messages.Count == 0
            ? (await Inbox.GetMessagesAsync(Viewer, ChatId)).Messages
            : await Inbox.GetMessagesAfterAsync(Viewer, ChatId, _messages[^1].Cursor);
        var added = newer.Where(m => _messages.All(x => x.Id != m.Id)).ToList();
        if (added.Count == 0)
            return false;
        _messages.AddRange(added);
        _scrollToBottom = true;
        var inbound = added.Any(m => m.Direction == MessageDirection.Inbound);
        // A customer's message opens a resolved chat again, and on Instagram the 24-hour reply window the composer shows.
        if (inbound && (_chat.Chat.Channel == Channel.Instagram || Resolved))
            _chat = await Inbox.GetChatAsync(Viewer, ChatId) ?? _chat;
        StateHasChanged();
        return inbound;
    }

    /// <summary>Replaces messages whose status moved (ticks).</summary>
    public async Task RefreshMessagesAsync(IReadOnlyCollection<Guid> ids)
    {
        var shown = ids.Where(id => _messages.Any(m => m.Id == id)).ToList();
        foreach (var fresh in await Inbox.GetMessagesByIdAsync(Viewer, ChatId, shown))
        {
            var index = _messages.FindIndex(m => m.Id == fresh.Id);
            if (index >= 0)
                _messages[index] = fresh;
        }
        StateHasChanged();
    }

    public async Task ReloadChatAsync()
    {
        _chat = await Inbox.GetChatAsync(Viewer, ChatId);
        _notFound = _chat is null;
        StateHasChanged();
    }

    /// <summary>Owners and managers correct the chat's name; the realtime event refreshes the list (here and in other tabs).</summary>
    private async Task RenameAsync()
    {
        if (_chat is null)
            return;
        var parameters = new DialogParameters<RenameChatDialog> { { d => d.ChatId, ChatId }, { d => d.Name, _chat.Chat.DisplayName } };
        var dialog = await Dialogs.ShowAsync<RenameChatDialog>(T["Rename_Title"], parameters, new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true });
        if (await dialog.Result is { Canceled: false })
            await ReloadChatAsync();
    }

    /// <summary>
    /// Marks the conversation done, or opens it again; the realtime event moves it between the lists everywhere. Resolving
    /// names the newest message shown: one the customer sent after it (not on screen yet) keeps the chat open.
    /// </summary>
    private async Task SetResolvedAsync(bool resolved)
    {
        _resolving = true;
        try
        {
            var seen = _messages.Count == 0 ? null : _messages[^1].Cursor;
            switch (await Inbox.SetResolvedAsync(Viewer, ChatId, resolved, seen))
            {
                case ResolveOutcome.NewMessage:
                    Snackbar.Add(T["Conversation_ResolveNewMessage"], Severity.Warning);
                    await AppendNewAsync();
                    break;
                default:
                    Snackbar.Add(resolved ? T["Conversation_ResolvedDone"] : T["Conversation_ReopenedDone"], Severity.Success);
                    break;
            }
            await ReloadChatAsync();
        }
        catch (ChatNotFoundException)
        {
            await ReloadChatAsync();
        }
        finally
        {
            _resolving = false;
        }
    }

    private async Task OnSentAsync(MessageView message)
    {
        // The realtime event appends it too; whichever comes first wins, the other is a no-op.
        var index = _messages.FindIndex(m => m.Id == message.Id);
        if (index >= 0)
            _messages[index] = message;
        else
            _messages.Add(message);
        _scrollToBottom = true;
        // A reply opened a resolved chat again.
        if (Resolved && message.Direction == MessageDirection.Outbound)
            _chat = await Inbox.GetChatAsync(Viewer, ChatId) ?? _chat;
        StateHasChanged();
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
            await _module.DisposeAsync("dispose", _scroller);
        _self?.Dispose();
    }
}
