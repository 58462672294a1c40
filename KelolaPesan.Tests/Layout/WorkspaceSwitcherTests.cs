using System.Globalization;
using Bunit;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Tests.Inbox;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web.Accounts;
using KelolaPesan.Web.Components.Layout;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KelolaPesan.Tests.Layout;

/// <summary>
/// The closed switcher keeps the selected workspace's count live with one item, not one per workspace: every count
/// change renders it, and an agency's hundred workspaces made each render a hundred items (issue 21). That opening it
/// lists every workspace with its current count is tested in Chromium (<see cref="ShellWorkspacesBrowserTests"/>).
/// </summary>
public sealed class WorkspaceSwitcherTests : BunitTestBase, IAsyncLifetime
{
    private InboxHarness _h = null!;
    private ShellState _shell = null!;

    public WorkspaceSwitcherTests()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
    }

    public override async Task InitializeAsync()
    {
        _h = await InboxHarness.CreateAsync();
        var scope = _h.TenantScope(_h.TenantA);
        var user = new CurrentUser(scope.GetRequiredService<TenantContext>());
        user.Set(CurrentUser.CreatePrincipal(new SignedInUser(_h.Owner.UserId, "Pemilik", nameof(UserRole.Owner), _h.TenantA, null, UiLanguage.English, UiTheme.Light), "test"));
        _shell = new ShellState(scope.GetRequiredService<WorkspaceDirectory>(), scope.GetRequiredService<AccountService>(), user, _h.Bus);
        await _shell.InitializeAsync();
        Services.AddSingleton(_shell);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        _shell.Dispose();
        await _h.DisposeAsync();
    }

    [Fact]
    public void Closed_OnlyTheSelectedWorkspaceIsAnItem()
    {
        Assert.Equal(2, _shell.Workspaces.Count);
        var cut = Render(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<WorkspaceSwitcher>(1);
            b.CloseComponent();
        });

        Assert.Equal([_shell.SelectedWorkspaceId], cut.FindComponents<MudSelectItem<Guid?>>().Select(i => i.Instance.Value));
    }
}
