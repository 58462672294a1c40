using System.Globalization;
using Bunit;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Workspaces;
using KelolaPesan.Web.Accounts;
using KelolaPesan.Web.Components.Pages.Settings;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Settings;

/// <summary>The settings page over the real service and a real SQLite file: it shows the stored values and confirms a save.</summary>
public sealed class SettingsPageTests : BunitTestBase, IAsyncLifetime
{
    private CoreServiceHost _host = null!;
    private AsyncServiceScope _scope;

    public SettingsPageTests()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
    }

    public override async Task InitializeAsync()
    {
        _host = await CoreServiceHost.CreateAsync();
        _scope = _host.Services.CreateAsyncScope();
        Services.AddSingleton(_scope.ServiceProvider.GetRequiredService<TenantSettingsService>());
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await _scope.DisposeAsync();
        await _host.DisposeAsync();
    }

    private void SignIn(string role)
    {
        var user = new CurrentUser(new TenantContext());
        user.Set(CurrentUser.CreatePrincipal(new SignedInUser(Guid.NewGuid(), "Pemilik", role, _host.TenantId, null, default, default), "test"));
        Services.AddSingleton(user);
    }

    // MudBlazor puts user attributes on the input itself or on its wrapper depending on the component.
    private static AngleSharp.Dom.IElement Input(IRenderedComponent<SettingsPage> cut, string testId)
    {
        var element = cut.Find($"[data-testid={testId}]");
        return element.TagName == "INPUT" ? element : element.QuerySelector("input")!;
    }

    [Fact]
    public async Task Owner_SeesTheStoredValues_AndSavingShowsAConfirmation()
    {
        SignIn(Roles.Owner);
        var cut = Render<SettingsPage>();

        cut.WaitForAssertion(() => Assert.Equal("Test", Input(cut, "settings-name").GetAttribute("value")));
        Assert.Equal("Asia/Jakarta", Input(cut, "settings-timezone").GetAttribute("value"));
        Assert.Equal("ID", Input(cut, "settings-region").GetAttribute("value"));
        Assert.Equal("Test", cut.Find("[data-testid=licence-name]").TextContent);

        Input(cut, "settings-name").Change("Toko Baru");
        cut.Find("[data-testid=settings-save]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Settings saved.", cut.Find("[data-testid=settings-saved]").TextContent));
        var stored = await _scope.ServiceProvider.GetRequiredService<TenantSettingsService>().GetAsync();
        Assert.Equal("Toko Baru", stored!.Name);
    }

    [Fact]
    public void Manager_SeesTheValuesReadOnly_WithoutASaveButton()
    {
        SignIn(Roles.Manager);
        var cut = Render<SettingsPage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=settings-readonly]"));
        Assert.Equal("Test", Input(cut, "settings-name").GetAttribute("value"));
        Assert.Empty(cut.FindAll("[data-testid=settings-save]"));
    }

    [Fact]
    public async Task Owner_TurnsAssignOnReplyOff_WithOneSwitch()
    {
        SignIn(Roles.Owner);
        var cut = Render<SettingsPage>();
        cut.WaitForAssertion(() => Assert.NotNull(Input(cut, "settings-assign-on-reply").GetAttribute("checked")));

        Input(cut, "settings-assign-on-reply").Change(false);

        cut.WaitForAssertion(() => Assert.Equal("Settings saved.", cut.Find("[data-testid=settings-inbox-saved]").TextContent));
        Assert.False(await _scope.ServiceProvider.GetRequiredService<TenantSettingsService>().GetAssignOnReplyAsync());
    }
}
