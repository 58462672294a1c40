using System.Globalization;
using Bunit;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web.Components.Pages.Inbox;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;

namespace KelolaPesan.Tests.Inbox;

/// <summary>
/// The composer wires its keys and takes the cursor over two JavaScript calls after its first render. An agent walking
/// the chat list with Up/Down disposes the conversation, and its composer, at every key: on a busy node the first call
/// was still on the wire then, the second went to the disposed module and threw, and the exception ended the agent's
/// circuit (seen in a full test run beside a CPU hog: the inbox stopped following the keys). Leaving a page while its
/// module was still on the wire made the disposal wait for it, and throw when the circuit's end cancelled it (seen in
/// a clean-clone run).
/// </summary>
public sealed class ComposerJsTests : BunitTestBase, IAsyncLifetime
{
    private readonly HeldJsRuntime _js = new();
    private InboxHarness? _h;

    public ComposerJsTests()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("id");
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
        Services.AddSingleton<IJSRuntime>(_js);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_h is not null)
            await _h.DisposeAsync();
    }

    private async Task<IRenderedComponent<Composer>> RenderComposerAsync()
    {
        _h = await InboxHarness.CreateAsync();
        var chat = await _h.AddChatAsync(_h.Shop, "Andi", "+628120001", InboxHarness.Start);
        Services.AddSingleton(_h.Inbox(_h.TenantA));
        Services.AddSingleton(_h.QuickReplies(_h.TenantA));
        Services.AddSingleton<TimeProvider>(_h.Clock);
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var cut = Render<Composer>(p => p.Add(c => c.ChatId, chat.Id).Add(c => c.WorkspaceId, _h.Shop.Id).Add(c => c.Viewer, _h.Owner));
        cut.WaitForAssertion(() => Assert.True(_js.Imports > 0));
        return cut;
    }

    [Fact]
    public async Task OnceItsKeysAreWired_TheComposerTakesTheCursor()
    {
        var cut = await RenderComposerAsync();
        cut.WaitForAssertion(() => Assert.Contains("attach", _js.Module.Calls));

        await cut.InvokeAsync(() => _js.Module.Attached.SetResult());

        cut.WaitForAssertion(() => Assert.Equal(["attach", "focus"], _js.Module.Calls));
    }

    [Fact]
    public async Task DisposedWhileItsKeysAreBeingWired_TheComposerCallsNothingMore_AndReleasesItsModule()
    {
        var cut = await RenderComposerAsync();
        cut.WaitForAssertion(() => Assert.Contains("attach", _js.Module.Calls));

        await DisposeComponentsAsync();
        Assert.True(_js.Module.Disposed);
        await cut.InvokeAsync(() => _js.Module.Attached.SetResult());
        await cut.InvokeAsync(() => { });

        Assert.Equal(["attach"], _js.Module.Calls);
        Assert.Empty(_js.Module.CallsAfterDisposal);
    }

    /// <summary>
    /// A page being left: the module is still on its way when the composer goes. Disposing does not wait for it (the
    /// browser may never answer), and the module is released when it arrives, with no call before.
    /// </summary>
    [Fact]
    public async Task DisposedWhileItsModuleIsOnItsWay_TheComposerGoesAtOnce_AndReleasesTheModuleWhenItArrives()
    {
        _js.HeldImport = new TaskCompletionSource<IJSObjectReference>();
        var cut = await RenderComposerAsync();

        await DisposeComponentsAsync();
        await cut.InvokeAsync(() => _js.HeldImport.SetResult(_js.Module));

        cut.WaitForAssertion(() => Assert.True(_js.Module.Disposed));
        Assert.Empty(_js.Module.Calls);
        Assert.Empty(_js.Module.CallsAfterDisposal);
    }

    /// <summary>The circuit's end cancels the calls still on the wire: the composer goes without an error.</summary>
    [Fact]
    public async Task AnImportTheCircuitsEndCancelled_EndsNothingWithAnError()
    {
        _js.HeldImport = new TaskCompletionSource<IJSObjectReference>();
        var cut = await RenderComposerAsync();

        await DisposeComponentsAsync();
        await cut.InvokeAsync(() => _js.HeldImport.SetCanceled());

        // A render asserts that no component threw meanwhile.
        Render(b => b.AddMarkupContent(0, "<p>after</p>"));
        Assert.False(_js.Module.Disposed);
        Assert.Empty(_js.Module.Calls);
    }

    /// <summary>
    /// The browser's side, held by the test: the composer's module answers "attach" only when the test says so, and
    /// refuses calls once disposed as the real module reference does. Other calls (MudBlazor's) answer at once.
    /// </summary>
    private sealed class HeldJsRuntime : IJSRuntime
    {
        public HeldModule Module { get; } = new();

        /// <summary>When set, the composer's module arrives only when the test completes this.</summary>
        public TaskCompletionSource<IJSObjectReference>? HeldImport { get; set; }

        public int Imports { get; private set; }

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args)
        {
            if (identifier != "import" || args is not [string path] || !path.EndsWith("Composer.razor.js", StringComparison.Ordinal))
                return ValueTask.FromResult(default(TValue)!);
            Imports++;
            return HeldImport is null ? ValueTask.FromResult((TValue)(object)Module) : new ValueTask<TValue>((Task<TValue>)(object)HeldImport.Task);
        }

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            InvokeAsync<TValue>(identifier, args);
    }

    private sealed class HeldModule : IJSObjectReference
    {
        public List<string> Calls { get; } = [];
        public List<string> CallsAfterDisposal { get; } = [];
        public TaskCompletionSource Attached { get; } = new();
        public bool Disposed { get; private set; }

        public async ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args)
        {
            if (Disposed)
            {
                CallsAfterDisposal.Add(identifier);
                throw new ObjectDisposedException(nameof(IJSObjectReference));
            }
            Calls.Add(identifier);
            if (identifier == "attach")
                await Attached.Task;
            return default!;
        }

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            InvokeAsync<TValue>(identifier, args);

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
