using System.Globalization;
using Bunit;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Tests.Inbox;
using KelolaPesan.Tests.Infrastructure;
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
        _shell = ShellStateTests.For(_h, _h.Owner.UserId, UserRole.Owner);
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
