using Bunit;
using Microsoft.Extensions.DependencyInjection;
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
        // The clock of a user with no tenant: the platform zone, never the database (components show times through it).
        Services.AddScoped(_ => new KelolaPesan.Web.Accounts.UserClock(
            new KelolaPesan.Web.Accounts.CurrentUser(new KelolaPesan.Core.Tenancy.TenantContext()), null!, TimeProvider.System));
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are only async-disposable: a plain Dispose of the context throws,
    // so xunit must dispose the test through IAsyncLifetime.
    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();
}
