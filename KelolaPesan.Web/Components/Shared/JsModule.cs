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

    /// <summary>Calls an exported function; false when the component or the circuit went away first.</summary>
    public async ValueTask<bool> InvokeVoidAsync(string identifier, params object?[] args) =>
        (await InvokeAsync<IJSVoidResult>(identifier, args)).Done;

    /// <summary>Calls an exported function for its result; <c>Done</c> is false when the component or the circuit went away first.</summary>
    public async ValueTask<(bool Done, T? Value)> InvokeAsync<T>(string identifier, params object?[] args)
    {
        if (_disposed)
            return (false, default);
        try
        {
            var module = await (_import ??= js.InvokeAsync<IJSObjectReference>("import", path).AsTask());
            if (_disposed)
                return (false, default);
            return (true, await module.InvokeAsync<T>(identifier, args));
        }
        catch (JSDisconnectedException)
        {
            return (false, default);
        }
        catch (ObjectDisposedException) when (_disposed)
        {
            return (false, default);
        }
    }

    /// <summary>Runs the module's own clean-up (when it was ever imported), then releases it.</summary>
    public async ValueTask DisposeAsync(string cleanup, params object?[] args)
    {
        if (_import is not null)
            await InvokeVoidAsync(cleanup, args);
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_import is null)
            return;
        try
        {
            await (await _import).DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
        }
    }
}
