using FluentValidation;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Instagram;
using KelolaPesan.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Localization;
using Microsoft.JSInterop;

namespace KelolaPesan.Web.Components.Pages.Inbox;

/// <summary>
/// Writes replies and notes. Enter sends and Shift+Enter breaks the line: a tiny JS handler prevents the
/// newline and passes the textarea's value, so no later input event can put the sent text back.
/// Typing "/" and a shortcut offers the workspace's quick replies.
/// </summary>
public partial class Composer : IAsyncDisposable
{
    [Parameter, EditorRequired] public Guid ChatId { get; set; }
    [Parameter, EditorRequired] public Guid WorkspaceId { get; set; }
    [Parameter, EditorRequired] public InboxViewer Viewer { get; set; } = null!;
    [Parameter] public EventCallback<MessageView> OnSent { get; set; }
    [Parameter] public Channel Channel { get; set; }

    /// <summary>The customer's last message: Instagram DMs may be answered within 24 hours of it.</summary>
    [Parameter] public DateTimeOffset? LastInboundAt { get; set; }

    [Inject] private InboxService Inbox { get; set; } = null!;
    [Inject] private QuickReplyService QuickReplies { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;
    [Inject] private IStringLocalizer<InboxText> T { get; set; } = null!;
    [Inject] private IStringLocalizer<InstagramAutomationText> IG { get; set; } = null!;
    [Inject] private TimeProvider Clock { get; set; } = null!;

    private string? _text;
    private IBrowserFile? _pending;
    private string? _pendingCaption;
    private string? _error;
    private bool _busy;
    private bool _noteMode;
    private IReadOnlyList<QuickReplyView> _quickReplies = [];
    private ElementReference _box;
    private JsModule? _module;
    private DotNetObjectReference<Composer>? _self;

    /// <summary>Quick replies whose shortcut starts with what follows the "/" (only while the text is just "/word").</summary>
    public IReadOnlyList<QuickReplyView> QuickMatches
    {
        get
        {
            if (_text is not { Length: > 0 } text || text[0] != '/' || text.Any(char.IsWhiteSpace))
                return [];
            var typed = text[1..].ToLowerInvariant();
            return _quickReplies.Where(q => q.Shortcut.StartsWith(typed, StringComparison.Ordinal)).Take(8).ToList();
        }
    }

    protected override async Task OnParametersSetAsync() =>
        _quickReplies = await QuickReplies.ListAsync(Viewer, WorkspaceId);

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || !RendererInfo.IsInteractive)
            return;
        _module = new JsModule(JS, "./Components/Pages/Inbox/Composer.razor.js");
        _self = DotNetObjectReference.Create(this);
        if (!await _module.ImportAsync())
            return;
        var (attached, draft) = await _module.InvokeAsync<string?>("attach", _box, _self, DraftKey);
        if (!attached)
            return;
        // What was typed here and not sent, before a chat switch, a reload or the end of a session.
        if (string.IsNullOrEmpty(_text) && !string.IsNullOrEmpty(draft))
        {
            _text = draft;
            StateHasChanged();
        }
        await _module.InvokeVoidAsync("focus", _box);
    }

    /// <summary>The draft's key in the browser's storage: the person's (signing out clears theirs) and the chat's.</summary>
    private string DraftKey => $"{Viewer.UserId}.{ChatId}";

    private async Task ForgetDraftAsync()
    {
        if (_module is not null)
            await _module.InvokeVoidAsync("forgetDraft", DraftKey);
    }

    /// <summary>Enter without Shift, with the textarea's current value.</summary>
    [JSInvokable]
    public async Task SubmitFromKeyboardAsync(string value)
    {
        _text = value;
        if (QuickMatches is [var first, ..])
        {
            await InsertQuickReplyAsync(first);
            StateHasChanged();
            return;
        }
        await SendTextAsync();
        StateHasChanged();
    }

    private bool IsInstagram => Channel == Channel.Instagram;

    /// <summary>Instagram refuses replies past 24 hours of the customer's last message; notes are still possible.</summary>
    private bool WindowClosed => IsInstagram && !_noteMode && !InstagramWindow.IsOpen(LastInboundAt, Clock.GetUtcNow());

    private async Task InsertQuickReplyAsync(QuickReplyView reply)
    {
        _text = reply.Text;
        // Set here, not typed: no input event keeps it as the draft.
        if (_module is not null)
            await _module.InvokeVoidAsync("writeDraft", DraftKey, reply.Text);
    }

    private async Task SendTextAsync()
    {
        var text = _text;
        if (string.IsNullOrWhiteSpace(text) || _busy || WindowClosed)
            return;
        _busy = true;
        _error = null;
        try
        {
            _text = null;
            var message = _noteMode ? await Inbox.AddNoteAsync(Viewer, ChatId, text) : await Inbox.SendTextAsync(Viewer, ChatId, text);
            await ForgetDraftAsync();
            await OnSent.InvokeAsync(message);
        }
        catch (InstagramWindowClosedException)
        {
            _text = text;
            _error = IG["Composer_WindowClosed"];
        }
        catch (ValidationException)
        {
            _text = text;
            _error = IsInstagram && !_noteMode ? IG["Composer_TooLong", InstagramWindow.MaxTextBytes] : T["Composer_TooLong"];
        }
        catch (ChatNotFoundException)
        {
            _text = text;
            _error = T["Conversation_NotFound"];
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>
    /// A picked file waits in a preview with a caption (what was typed so far) until the agent sends or cancels it.
    /// A file over the limit is refused here, before the preview, so nothing is read for nothing.
    /// </summary>
    private async Task PickFileAsync(IBrowserFile? file)
    {
        if (file is null || _busy)
            return;
        _error = null;
        if (await Inbox.MaxAttachmentBytesAsync(WorkspaceId) is { } max && file.Size > max)
        {
            _error = T["Composer_FileTooLarge", InboxUi.Size(max)];
            return;
        }
        // Instagram's own largest limit; its type and the smaller limit of images are read from the bytes when it is sent.
        if (IsInstagram && file.Size > InstagramDirectFiles.MaxBytes)
        {
            _error = Problem.Of("Instagram_FileTooLarge", InstagramDirectFiles.MaxBytes / 1_000_000).Text;
            return;
        }
        (_pending, _pendingCaption) = (file, _noteMode ? null : _text);
    }

    private void CancelPending() => (_pending, _pendingCaption) = (null, null);

    private async Task SendPendingAsync(string? caption)
    {
        if (_pending is not { } file || _busy)
            return;
        _busy = true;
        _error = null;
        try
        {
            _error = await BrowserFileUpload.RunAsync(file, WorkspaceId, Inbox, T, async upload =>
            {
                var message = await Inbox.SendAttachmentAsync(Viewer, ChatId, upload, caption);
                // The caption came from the reply box: it went out with the file.
                if (_text == _pendingCaption)
                {
                    _text = null;
                    await ForgetDraftAsync();
                }
                (_pending, _pendingCaption) = (null, null);
                await OnSent.InvokeAsync(message);
            });
        }
        catch (InstagramFileRefusedException ex)
        {
            _error = ex.Problem.Text;
        }
        catch (InstagramWindowClosedException)
        {
            _error = IG["Composer_WindowClosed"];
        }
        catch (ValidationException)
        {
            _error = IsInstagram ? IG["Composer_TooLong", InstagramWindow.MaxTextBytes] : T["Composer_TooLong"];
        }
        catch (ChatNotFoundException)
        {
            _error = T["Conversation_NotFound"];
        }
        finally
        {
            _busy = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
            await _module.DisposeAsync();
        _self?.Dispose();
    }
}
