using System.Globalization;
using Bunit;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Team;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Workspaces;
using KelolaPesan.Web.Accounts;
using KelolaPesan.Web.Components.Pages.Team;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Team;

/// <summary>The team page over the real service and a real SQLite file: what the owner and a manager may act on.</summary>
public sealed class TeamPageTests : BunitTestBase, IAsyncLifetime
{
    private CoreServiceHost _host = null!;
    private AsyncServiceScope _scope;
    private readonly Dictionary<UserRole, Guid> _ids = [];

    public TeamPageTests()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
    }

    public override async Task InitializeAsync()
    {
        _host = await CoreServiceHost.CreateAsync();
        var workspace = await _host.AddWorkspaceAsync("Toko");
        await using (var db = _host.Database.CreateSystem())
        {
            foreach (var (name, role) in new[] { ("pemilik", UserRole.Owner), ("manajer", UserRole.Manager), ("manajer2", UserRole.Manager), ("agen", UserRole.Agent) })
            {
                var user = new AppUser { TenantId = _host.TenantId, Username = name, DisplayName = name, Role = role, PasswordHash = "x" };
                db.Users.Add(user);
                _ids.TryAdd(role, user.Id);
                if (role == UserRole.Agent)
                    db.WorkspaceMembers.Add(new() { TenantId = _host.TenantId, WorkspaceId = workspace.Id, UserId = user.Id });
            }
            await db.SaveChangesAsync();
        }
        _scope = _host.Services.CreateAsyncScope();
        Services.AddSingleton(_scope.ServiceProvider.GetRequiredService<TeamService>());
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await _scope.DisposeAsync();
        await _host.DisposeAsync();
    }

    private IRenderedComponent<TeamPage> RenderAs(UserRole role)
    {
        var user = new CurrentUser(new TenantContext());
        user.Set(CurrentUser.CreatePrincipal(new SignedInUser(_ids[role], role.ToString(), role.ToString(), _host.TenantId, null, default, default), "test"));
        Services.AddSingleton(user);
        var cut = Render<TeamPage>();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid=team-row]").Count));
        return cut;
    }

    private static List<string> RowsWithActions(IRenderedComponent<TeamPage> cut) =>
        cut.FindAll("tr").Where(r => r.QuerySelector("[data-testid=team-actions]") is not null)
            .Select(r => r.QuerySelector("[data-testid=team-row]")!.GetAttribute("data-username")!).Order().ToList();

    [Fact]
    public void TheOwner_MayActOnManagersAndAgents_ButNotOnThemself()
    {
        var cut = RenderAs(UserRole.Owner);

        Assert.Equal(["agen", "manajer", "manajer2"], RowsWithActions(cut));
        Assert.Contains("Add managers and agents", cut.Markup);
        var agentRow = cut.FindAll("tr").Single(r => r.QuerySelector("[data-username=agen]") is not null);
        Assert.Equal("Toko", agentRow.QuerySelector("[data-testid=team-workspaces]")!.TextContent.Trim());
        Assert.Equal("Never", agentRow.QuerySelectorAll("td")[3].TextContent.Trim());
    }

    [Fact]
    public void AManager_MayActOnAgentsOnly_AndOtherManagersAndTheOwnerAreReadOnly()
    {
        var cut = RenderAs(UserRole.Manager);

        Assert.Equal(["agen"], RowsWithActions(cut));
        Assert.Contains("As a manager you can manage agents.", cut.Markup);
        Assert.Contains("4 active users", cut.Find("[data-testid=team-quota]").TextContent);
    }
}
