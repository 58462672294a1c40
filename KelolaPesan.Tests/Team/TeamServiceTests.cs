using System.Globalization;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Privacy;
using KelolaPesan.Core.Team;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Tests.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using KelolaPesan.Tests.Infrastructure;

namespace KelolaPesan.Tests.Team;

/// <summary>The team service over a real SQLite file: adding, the username and user-cap rules, access changes, stamps, deletion.</summary>
public sealed class TeamServiceTests : IAsyncLifetime
{
    private const string Password = "Sandi-Tim-2026";
    private CoreServiceHost _host = null!;
    private AppUser _owner = null!;
    private TeamActor _ownerActor = null!;
    private Workspace _shop = null!;
    private Workspace _care = null!;

    public TeamServiceTests() => CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");

    public async Task InitializeAsync()
    {
        _host = await CoreServiceHost.CreateAsync();
        _owner = await AddUserAsync(_host.TenantId, "pemilik", UserRole.Owner);
        _ownerActor = Actor(_owner);
        _shop = await _host.AddWorkspaceAsync("Toko");
        _care = await _host.AddWorkspaceAsync("Layanan");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static TeamActor Actor(AppUser user) => new(user.Id, user.Role, new AuditActor(AuditActorType.User, user.Id, user.DisplayName));

    private Task<T> Run<T>(Func<TeamService, Task<T>> action) => _host.InScopeAsync(sp => action(sp.GetRequiredService<TeamService>()));

    private async Task<AppUser> AddUserAsync(Guid tenantId, string username, UserRole role)
    {
        var user = new AppUser { TenantId = tenantId, Username = username, DisplayName = username, Role = role, PasswordHash = PasswordHashing.Hash(Password) };
        await using var db = _host.Database.CreateSystem();
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user;
    }

    private async Task<AppUser> StoredAsync(Guid id)
    {
        await using var db = _host.Database.CreateSystem();
        return await db.Users.AsNoTracking().SingleAsync(u => u.Id == id);
    }

    private static NewMemberInput Agent(string username, params Guid[] workspaces) => new()
    {
        Username = username, DisplayName = "Agen " + username, Role = UserRole.Agent, WorkspaceIds = [.. workspaces], GeneratePassword = false, Password = Password,
    };

    [Fact]
    public async Task AddingAnAgent_StoresThemWithTheirWorkspaces_HashedPassword_AndAnAuditEntry()
    {
        var result = await Run(s => s.AddAsync(_ownerActor, Agent("Sinta", _shop.Id)));

        Assert.True(result.Succeeded);
        Assert.Null(result.Password);
        var stored = await StoredAsync(result.UserId!.Value);
        Assert.Equal(("sinta", UserRole.Agent, _host.TenantId), (stored.Username, stored.Role, stored.TenantId!.Value));
        Assert.True(PasswordHashing.Verify(stored.PasswordHash, Password));
        var visible = await _host.InScopeAsync(sp => sp.GetRequiredService<WorkspaceDirectory>().ListForUserAsync(stored.Id, UserRole.Agent));
        Assert.Equal(["Toko"], visible.Select(w => w.Name));
        await using var db = _host.Database.CreateSystem();
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == TeamAuditActions.UserAdded);
        Assert.Equal((_host.TenantId, _owner.Id, stored.Id.ToString()), (entry.TenantId!.Value, entry.ActorId!.Value, entry.TargetId!));
    }

    [Fact]
    public async Task AMembersDisplayName_LosesControlAndBidiCharacters_OnOneLine()
    {
        var input = Agent("dewi", _shop.Id);
        input.DisplayName = "\u202EDewi\u202C\u0001\r\nLestari\u009b";

        var result = await Run(s => s.AddAsync(_ownerActor, input));

        Assert.True(result.Succeeded);
        Assert.Equal("Dewi Lestari", (await StoredAsync(result.UserId!.Value)).DisplayName);
    }

    [Fact]
    public async Task TeamEntries_NameTheMemberAndTheirWorkspaces()
    {
        var id = (await Run(s => s.AddAsync(_ownerActor, Agent("wati", _shop.Id, _care.Id)))).UserId!.Value;
        await Run(s => s.ChangeAccessAsync(_ownerActor, id, new MemberAccessInput { Role = UserRole.Agent, WorkspaceIds = [_care.Id] }));
        await Run(s => s.ChangeAccessAsync(_ownerActor, id, new MemberAccessInput { Role = UserRole.Manager }));
        await Run(s => s.SetActiveAsync(_ownerActor, id, false));
        await Run(s => s.ResetPasswordAsync(_ownerActor, id));

        await using var db = _host.Database.CreateSystem();
        var details = await db.AuditEntries.Where(a => a.TargetId == id.ToString()).Select(a => a.Details!).ToListAsync();
        Assert.Equal(new[] {
            "Member: Agen wati; Username: wati; Role: Agent; Workspaces: Layanan, Toko",
            "Member: Agen wati; Username: wati; WorkspacesRemoved: Toko",
            "Member: Agen wati; Username: wati; Role: Agent -> Manager; WorkspacesRemoved: Layanan",
            "Member: Agen wati; Username: wati",
            "Member: Agen wati; Username: wati",
        }.Order(), details.Order());
    }

    [Fact]
    public async Task AGeneratedPassword_IsReturnedOnce_AndPassesThePolicy()
    {
        var input = Agent("rudi");
        input.GeneratePassword = true;
        var result = await Run(s => s.AddAsync(_ownerActor, input));

        Assert.NotNull(result.Password);
        Assert.True(PasswordHashing.Verify((await StoredAsync(result.UserId!.Value)).PasswordHash, result.Password!));
        Assert.False(PasswordRule.IsCommon(result.Password) || result.Password!.Length < PasswordRule.MinLength);
    }

    [Fact]
    public async Task Usernames_AreUniquePerTenant_ComparedCaseInsensitively()
    {
        await AddUserAsync(_host.TenantId, "Budi", UserRole.Agent);
        Assert.True((await Run(s => s.AddAsync(_ownerActor, Agent("sinta")))).Succeeded);

        var again = await Run(s => s.AddAsync(_ownerActor, Agent("SINTA")));
        var budi = await Run(s => s.AddAsync(_ownerActor, Agent("budi")));

        Assert.Equal(TeamOutcome.UsernameTaken, again.Outcome);
        Assert.Equal("The username \"sinta\" is already used in this business.", again.Error);
        Assert.Equal(TeamOutcome.UsernameTaken, budi.Outcome);
        // Another tenant may use the same name.
        var other = await OtherTenantAsync();
        await AddUserAsync(other, "sinta2", UserRole.Agent);
        Assert.True((await Run(s => s.AddAsync(_ownerActor, Agent("sinta2")))).Succeeded);
    }

    [Fact]
    public async Task PastTheLicencesMaxUsers_AddAndReactivateAreRefused_WithAClearMessageInBothLanguages()
    {
        await SetMaxUsersAsync(2);
        var first = await Run(s => s.AddAsync(_ownerActor, Agent("sinta")));
        Assert.True(first.Succeeded);

        var over = await Run(s => s.AddAsync(_ownerActor, Agent("rudi")));
        Assert.Equal(TeamOutcome.UserLimitReached, over.Outcome);
        Assert.StartsWith("Your licence allows at most 2 active users and that limit is reached.", over.Error);
        CultureInfo.CurrentUICulture = new CultureInfo("id");
        var overId = await Run(s => s.AddAsync(_ownerActor, Agent("rudi")));
        Assert.StartsWith("Lisensi Anda mengizinkan paling banyak 2 pengguna aktif", overId.Error);
        CultureInfo.CurrentUICulture = new CultureInfo("en");

        // A deactivated user frees the seat; reactivating them past the cap is refused the same way.
        Assert.True((await Run(s => s.SetActiveAsync(_ownerActor, first.UserId!.Value, false))).Succeeded);
        Assert.True((await Run(s => s.AddAsync(_ownerActor, Agent("rudi")))).Succeeded);
        Assert.Equal(TeamOutcome.UserLimitReached, (await Run(s => s.SetActiveAsync(_ownerActor, first.UserId!.Value, true))).Outcome);
        await using var db = _host.Database.CreateSystem();
        Assert.Equal(2, await db.Users.CountAsync(u => u.TenantId == _host.TenantId && u.IsActive));
    }

    [Fact]
    public async Task DeactivateResetRoleAndWorkspaceChanges_EachRotateTheStamp()
    {
        var id = (await Run(s => s.AddAsync(_ownerActor, Agent("sinta", _shop.Id)))).UserId!.Value;
        var stamps = new List<string> { (await StoredAsync(id)).SecurityStamp };

        Assert.True((await Run(s => s.SetActiveAsync(_ownerActor, id, false))).Succeeded);
        var deactivated = await StoredAsync(id);
        Assert.False(deactivated.IsActive);
        stamps.Add(deactivated.SecurityStamp);

        var reset = await Run(s => s.ResetPasswordAsync(_ownerActor, id));
        var afterReset = await StoredAsync(id);
        Assert.True(PasswordHashing.Verify(afterReset.PasswordHash, reset.Password!));
        Assert.False(PasswordHashing.Verify(afterReset.PasswordHash, Password));
        stamps.Add(afterReset.SecurityStamp);

        Assert.True((await Run(s => s.ChangeAccessAsync(_ownerActor, id, new MemberAccessInput { Role = UserRole.Agent, WorkspaceIds = [_care.Id] }))).Succeeded);
        stamps.Add((await StoredAsync(id)).SecurityStamp);
        Assert.True((await Run(s => s.ChangeAccessAsync(_ownerActor, id, new MemberAccessInput { Role = UserRole.Manager }))).Succeeded);
        var manager = await StoredAsync(id);
        Assert.Equal(UserRole.Manager, manager.Role);
        stamps.Add(manager.SecurityStamp);

        Assert.Equal(stamps.Count, stamps.Distinct().Count());
    }

    [Fact]
    public async Task EveryChangeOfAccess_EndsTheMembersSessionsOnThisNode_AtOnce_ThoughTheirAnswerWasKept()
    {
        var changes = new Dictionary<string, Func<TeamService, Guid, Task<TeamResult>>>
        {
            ["demoted"] = (s, id) => s.ChangeAccessAsync(_ownerActor, id, new MemberAccessInput { Role = UserRole.Agent, WorkspaceIds = [_shop.Id] }),
            ["deactivated"] = (s, id) => s.SetActiveAsync(_ownerActor, id, false),
            ["reset"] = (s, id) => s.ResetPasswordAsync(_ownerActor, id),
            ["deleted"] = (s, id) => s.DeleteAsync(_ownerActor, id),
        };
        foreach (var (name, change) in changes)
        {
            var id = (await Run(s => s.AddAsync(_ownerActor, new NewMemberInput
            {
                Username = name, DisplayName = name, Role = UserRole.Manager, GeneratePassword = false, Password = Password,
            }))).UserId!.Value;
            var ticket = new AccessTicket(id, false, (await StoredAsync(id)).SecurityStamp);
            Assert.True(await _host.InScopeAsync(sp => sp.GetRequiredService<AccessValidator>().IsValidAsync(ticket)));

            Assert.True((await Run(s => change(s, id))).Succeeded, name);

            Assert.False(await _host.InScopeAsync(sp => sp.GetRequiredService<AccessValidator>().IsValidAsync(ticket)), name);
        }
    }

    [Fact]
    public async Task AWorkspaceTakenAway_IsGoneFromTheAgentsInboxAtOnce()
    {
        var id = (await Run(s => s.AddAsync(_ownerActor, Agent("sinta", _shop.Id, _care.Id)))).UserId!.Value;
        var viewer = new InboxViewer(id, UserRole.Agent);
        var chat = new Chat { TenantId = _host.TenantId, WorkspaceId = _care.Id, ExternalChatId = "628111@c.us", PhoneNumber = "+628111", DisplayName = "Pelanggan", AssignedUserId = id };
        await using (var db = _host.Database.CreateSystem())
        {
            db.Chats.Add(chat);
            await db.SaveChangesAsync();
        }
        var before = await _host.InScopeAsync(sp => sp.GetRequiredService<InboxService>().ListWorkspaceIdsAsync(viewer));
        Assert.Equal(2, before.Count);

        Assert.True((await Run(s => s.ChangeAccessAsync(_ownerActor, id, new MemberAccessInput { Role = UserRole.Agent, WorkspaceIds = [_shop.Id] }))).Succeeded);

        await _host.InScopeAsync(async sp =>
        {
            var inbox = sp.GetRequiredService<InboxService>();
            Assert.Equal([_shop.Id], await inbox.ListWorkspaceIdsAsync(viewer));
            Assert.Empty((await inbox.ListChatsAsync(viewer, new ChatListQuery(_care.Id))).Items);
            Assert.Equal(["Toko"], (await sp.GetRequiredService<WorkspaceDirectory>().ListForUserAsync(id, UserRole.Agent)).Select(w => w.Name));
            return 0;
        });
        await using var check = _host.Database.CreateSystem();
        Assert.Null((await check.Chats.SingleAsync(c => c.Id == chat.Id)).AssignedUserId);
    }

    [Fact]
    public async Task Deleting_RemovesTheUser_AndKeepsTheirAuditEntriesAnonymised()
    {
        var id = (await Run(s => s.AddAsync(_ownerActor, Agent("sinta", _shop.Id)))).UserId!.Value;
        await _host.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<AuditLog>().WriteAsync(new AuditRecord(AuditActions.SignIn, AuditActorType.User, "Sinta", id, _host.TenantId,
                Details: "Username: sinta", IpAddress: "10.1.2.3"));
            return 0;
        });

        Assert.True((await Run(s => s.DeleteAsync(_ownerActor, id))).Succeeded);

        await using var db = _host.Database.CreateSystem();
        Assert.False(await db.Users.AnyAsync(u => u.Id == id));
        Assert.False(await db.WorkspaceMembers.AnyAsync(m => m.UserId == id));
        var signIn = await db.AuditEntries.SingleAsync(a => a.Action == AuditActions.SignIn && a.ActorId == id);
        Assert.Equal((DataEraser.AnonymisedName, (string?)null), (signIn.ActorName, signIn.IpAddress));
        var added = await db.AuditEntries.SingleAsync(a => a.Action == TeamAuditActions.UserAdded);
        Assert.Null(added.Details);
        Assert.Equal(id.ToString(), added.TargetId);
        // QA (2026-12-06): the removal named no one. It names no one by name still (the entry outlives the erasure), but
        // says a former member with their role went.
        var deleted = await db.AuditEntries.SingleAsync(a => a.Action == TeamAuditActions.UserDeleted && a.TargetId == id.ToString());
        Assert.Equal("FormerMember: Agent", deleted.Details);
        Assert.False(await db.AuditEntries.AnyAsync(a => a.ActorName.Contains("sinta") || (a.Details != null && a.Details.Contains("sinta"))));
        Assert.False(await db.AuditEntries.AnyAsync(a => a.ActorName.Contains("Sinta") || (a.Details != null && a.Details.Contains("Sinta"))));
    }

    [Fact]
    public async Task AnotherTenantsUser_IsNotFound_ForEveryChange()
    {
        var otherUser = await AddUserAsync(await OtherTenantAsync(), "asing", UserRole.Agent);

        Assert.Equal(TeamOutcome.NotFound, (await Run(s => s.SetActiveAsync(_ownerActor, otherUser.Id, false))).Outcome);
        Assert.Equal(TeamOutcome.NotFound, (await Run(s => s.ResetPasswordAsync(_ownerActor, otherUser.Id))).Outcome);
        Assert.Equal(TeamOutcome.NotFound, (await Run(s => s.ChangeAccessAsync(_ownerActor, otherUser.Id, new MemberAccessInput { Role = UserRole.Manager }))).Outcome);
        Assert.Equal(TeamOutcome.NotFound, (await Run(s => s.DeleteAsync(_ownerActor, otherUser.Id))).Outcome);
        Assert.DoesNotContain((await Run(s => s.ListAsync())).Members, m => m.Id == otherUser.Id);

        var unchanged = await StoredAsync(otherUser.Id);
        Assert.Equal((true, UserRole.Agent, otherUser.SecurityStamp), (unchanged.IsActive, unchanged.Role, unchanged.SecurityStamp));
    }

    [Fact]
    public async Task AManager_ManagesAgentsOnly()
    {
        var manager = await AddUserAsync(_host.TenantId, "manajer", UserRole.Manager);
        var otherManager = await AddUserAsync(_host.TenantId, "manajer2", UserRole.Manager);
        var actor = Actor(manager);

        var agent = await Run(s => s.AddAsync(actor, Agent("sinta", _shop.Id)));
        Assert.True(agent.Succeeded);
        Assert.True((await Run(s => s.SetActiveAsync(actor, agent.UserId!.Value, false))).Succeeded);

        var promote = await Run(s => s.ChangeAccessAsync(actor, agent.UserId!.Value, new MemberAccessInput { Role = UserRole.Manager }));
        Assert.Equal((TeamOutcome.NotAllowed, "You may not change this user."), (promote.Outcome, promote.Error));
        Assert.Equal(TeamOutcome.NotAllowed, (await Run(s => s.AddAsync(actor, new NewMemberInput { Username = "m3", DisplayName = "M", Role = UserRole.Manager }))).Outcome);
        Assert.Equal(TeamOutcome.NotAllowed, (await Run(s => s.SetActiveAsync(actor, otherManager.Id, false))).Outcome);
        Assert.Equal(TeamOutcome.NotAllowed, (await Run(s => s.ResetPasswordAsync(actor, _owner.Id))).Outcome);
        Assert.Equal(TeamOutcome.NotAllowed, (await Run(s => s.DeleteAsync(_ownerActor, _owner.Id))).Outcome);
    }

    [Fact]
    public async Task BadInput_IsRefusedWithMessages_AndNothingIsStored()
    {
        var input = Agent("bad name!", Guid.NewGuid());
        input.Password = "short";
        var error = await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => Run(s => s.AddAsync(_ownerActor, input)));
        Assert.Contains("The password needs at least 10 characters.", error.Errors.Select(e => e.ErrorMessage));
        Assert.Contains(error.Errors, e => e.PropertyName == nameof(NewMemberInput.Username));

        var unknownWorkspace = await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => Run(s => s.AddAsync(_ownerActor, Agent("sinta", Guid.NewGuid()))));
        Assert.Equal("A chosen workspace was not found.", unknownWorkspace.Errors.Single().ErrorMessage);
        await using var db = _host.Database.CreateSystem();
        Assert.Equal(1, await db.Users.CountAsync(u => u.TenantId == _host.TenantId));
    }

    private async Task<Guid> OtherTenantAsync()
    {
        return await _host.Database.SeedAsync(db => Seed.Tenant(db, "Lain").Id);
    }

    private async Task SetMaxUsersAsync(int max)
    {
        await using var db = _host.Database.CreateSystem();
        var licenceId = await db.Tenants.Where(t => t.Id == _host.TenantId).Select(t => t.LicenceId).SingleAsync();
        await db.Licences.Where(l => l.Id == licenceId).ExecuteUpdateAsync(s => s.SetProperty(l => l.MaxUsers, max));
    }
}
