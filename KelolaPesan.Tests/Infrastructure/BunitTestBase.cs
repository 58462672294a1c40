using Bunit;
using MudBlazor.Services;

namespace KelolaPesan.Tests.Infrastructure;

/// <summary>
/// The base of every bUnit test: MudBlazor services and loose JS interop (MudBlazor calls JS
/// on first render; loose mode answers with defaults instead of failing the test).
/// </summary>
public abstract class BunitTestBase : BunitContext, IAsyncLifetime
{
    protected BunitTestBase()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are only async-disposable: a plain Dispose of the context throws,
    // so xunit must dispose the test through IAsyncLifetime.
    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();
}
