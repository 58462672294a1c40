using Microsoft.JSInterop;
using Microsoft.JSInterop.Infrastructure;

namespace KelolaPesan.Web.Components.Shared;

/// <summary>
/// A component's JavaScript module, imported on its first call. A component can be disposed while one of its calls is
/// on the wire (an agent walking the chat list with Up/Down disposes a conversation and its composer at every key):
/// the call after it then did nothing useful and threw (the module was disposed, or the circuit gone), and an
/// exception in OnAfterRenderAsync ends the user's circuit. Here a call after disposal or disconnection is skipped, and
/// a module whose import completes after disposal is released at once.
/// </summary>
public sealed class JsModule(IJSRuntime js, string path) : IAsyncDisposable
{
    private Task<IJSObjectReference>? _import;
    private bool _disposed;

    /// <summary>
    /// Imports the module; false when the component or the circuit went away first. An element reference is passed only
    /// once a render has drawn the element (its <c>Id</c> is set): the import's round trip does not make that so.
    /// </summary>
    public async ValueTask<bool> ImportAsync() => (await CallAsync<object>(null, [])).Done;

    /// <summary>Calls an exported function; false when the component or the circuit went away first.</summary>
    public async ValueTask<bool> InvokeVoidAsync(string identifier, params object?[] args) =>
        (await InvokeAsync<IJSVoidResult>(identifier, args)).Done;

    /// <summary>Calls an exported function for its result; <c>Done</c> is false when the component or the circuit went away first.</summary>
    public ValueTask<(bool Done, T? Value)> InvokeAsync<T>(string identifier, params object?[] args) => CallAsync<T>(identifier, args);

    private async ValueTask<(bool Done, T? Value)> CallAsync<T>(string? identifier, object?[] args)
    {
        if (_disposed)
            return (false, default);
        try
        {
            var module = await (_import ??= js.InvokeAsync<IJSObjectReference>("import", path).AsTask());
            if (_disposed)
                return (false, default);
            return identifier is null ? (true, default) : (true, await module.InvokeAsync<T>(identifier, args));
        }
        catch (JSDisconnectedException)
        {
            return (false, default);
        }
        catch (Exception e) when (_disposed && e is ObjectDisposedException or OperationCanceledException)
        {
            // Disposed meanwhile; the circuit's end also cancels the calls still on the wire.
            return (false, default);
        }
    }

    /// <summary>Runs the module's own clean-up (when it was imported), then releases it.</summary>
    public async ValueTask DisposeAsync(string cleanup, params object?[] args)
    {
        // A module still on its way has run nothing yet: the calls after its import see the disposal and skip.
        if (_import is { IsCompletedSuccessfully: true })
        {
            try
            {
                await InvokeVoidAsync(cleanup, args);
            }
            catch (OperationCanceledException)
            {
                // The circuit is ending (a signed-out or revoked session's page): its calls are cancelled, and the page
                // the clean-up was for is gone with it. Not an error of the circuit.
            }
        }
        await DisposeAsync();
    }

    /// <summary>
    /// Releases the module. One still on its way is released when it arrives: the disposal does not wait for a browser
    /// that may never answer (a page being left), and an import the circuit's end cancelled has nothing to release.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_import is null)
            return;
        if (_import.IsCompletedSuccessfully)
            await ReleaseAsync(_import);
        else
            _ = ReleaseAsync(_import);
    }

    private static async Task ReleaseAsync(Task<IJSObjectReference> import)
    {
        try
        {
            await (await import).DisposeAsync();
        }
        catch (Exception e) when (e is JSDisconnectedException or OperationCanceledException or JSException)
        {
            // The circuit is gone or the import failed: nothing left to release.
        }
    }
}
