using System.Globalization;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Accounts;

/// <summary>Own account (/account) over a real SQLite file: every kind of account changes its password and profile.</summary>
public sealed class OwnAccountTests : IAsyncLifetime
{
    private const string Password = "Lama-Sandi-2025";
    private SqliteTestDatabase _db = null!;
    private AccountService _accounts = null!;
    private AppUser _agent = null!;
    private AppUser _agencyOwner = null!;
    private Guid _adminId;

    public OwnAccountTests() => CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");

    public async Task InitializeAsync()
    {
        _db = await SqliteTestDatabase.CreateAsync();
        var factory = _db.CreateFactory(SystemTenant.Instance);
        _accounts = new AccountService(factory, new AuditLog(factory, TimeProvider.System), new AccessCache());
        _agencyOwner = new AppUser { AgencyId = Guid.NewGuid(), Username = "agensi", DisplayName = "Agensi", Role = UserRole.AgencyOwner, PasswordHash = PasswordHashing.Hash(Password) };
        _agent = await _db.SeedAsync(db =>
        {
            db.Users.Add(_agencyOwner);
            return Seed.Tenant(db, "Toko").User("sinta", UserRole.Agent, u => (u.DisplayName, u.PasswordHash) = ("Sinta", PasswordHashing.Hash(Password)));
        });
        _adminId = await _accounts.CreateAdminAsync("ops@kelola.test", "Ops", Password);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static ChangePasswordRequest Change(string current, string next) => new() { CurrentPassword = current, NewPassword = next, ConfirmPassword = next };

    private static AuditActor Actor(Guid id) => new(AuditActorType.User, id, "x");

    [Fact]
    public async Task ATenantUser_ChangesTheirPassword_AndTheStampRotates()
    {
        var result = await _accounts.ChangeOwnPasswordAsync(_agent.Id, isAdmin: false, Change(Password, "Baru-Sandi-2026"), Actor(_agent.Id));

        Assert.Equal(AdminChangeResult.Done, result);
        await using var db = _db.CreateSystem();
        var stored = await db.Users.SingleAsync(u => u.Id == _agent.Id);
        Assert.True(PasswordHashing.Verify(stored.PasswordHash, "Baru-Sandi-2026"));
        Assert.NotEqual(_agent.SecurityStamp, stored.SecurityStamp);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditActions.PasswordChanged && a.TargetId == _agent.Id.ToString() && a.TenantId == _agent.TenantId));
    }

    [Fact]
    public async Task AWrongCurrentPassword_ChangesNothing()
    {
        var result = await _accounts.ChangeOwnPasswordAsync(_agencyOwner.Id, isAdmin: false, Change("Salah-Sandi-2025", "Baru-Sandi-2026"), Actor(_agencyOwner.Id));

        Assert.Equal(AdminChangeResult.WrongCurrentPassword, result);
        await using var db = _db.CreateSystem();
        var stored = await db.Users.SingleAsync(u => u.Id == _agencyOwner.Id);
        Assert.True(PasswordHashing.Verify(stored.PasswordHash, Password));
        Assert.Equal(_agencyOwner.SecurityStamp, stored.SecurityStamp);
    }

    [Fact]
    public async Task TheNewPassword_MayNotContainTheOwnUsernameOrEmail()
    {
        var user = await Assert.ThrowsAsync<FluentValidation.ValidationException>(() =>
            _accounts.ChangeOwnPasswordAsync(_agencyOwner.Id, false, Change(Password, "Agensi-Baru-2026"), Actor(_agencyOwner.Id)));
        var admin = await Assert.ThrowsAsync<FluentValidation.ValidationException>(() =>
            _accounts.ChangeOwnPasswordAsync(_adminId, true, Change(Password, "ops-kelola-2026"), Actor(_adminId)));

        Assert.Equal("The password must not be or contain the username or email.", user.Errors.Single().ErrorMessage);
        Assert.Equal("The password must not be or contain the username or email.", admin.Errors.Single().ErrorMessage);
    }

    [Fact]
    public async Task AnAdmin_ChangesPasswordAndProfile()
    {
        Assert.Equal(AdminChangeResult.Done, await _accounts.ChangeOwnPasswordAsync(_adminId, true, Change(Password, "Baru-Sandi-2026"), Actor(_adminId)));
        Assert.True(await _accounts.UpdateProfileAsync(_adminId, true, new ProfileInput { DisplayName = " Ops Baru ", Language = UiLanguage.English, Theme = UiTheme.Dark }, Actor(_adminId)));

        var account = await _accounts.GetOwnAccountAsync(_adminId, true);
        Assert.Equal(new OwnAccount("ops@kelola.test", "Ops Baru", UiLanguage.English, UiTheme.Dark), account);
        await Assert.ThrowsAsync<FluentValidation.ValidationException>(() =>
            _accounts.UpdateProfileAsync(_adminId, true, new ProfileInput { DisplayName = " " }, Actor(_adminId)));
    }

    /// <summary>The create-admin command's entry point answers a weak password with the policy's message.</summary>
    [Fact]
    public async Task TheCreateAdminEntry_RefusesAPasswordThePolicyRefuses()
    {
        var common = await Assert.ThrowsAsync<ArgumentException>(() => _accounts.CreateAdminAsync("new@kelola.test", "New", "qwertyuiop"));
        var withEmail = await Assert.ThrowsAsync<ArgumentException>(() => _accounts.CreateAdminAsync("dewi.ops@kelola.test", "Dewi", "Dewi.Ops-2026"));

        Assert.Equal("This password is one of the most common and easy to guess; choose another.", common.Message);
        Assert.Equal("The password must not be or contain the username or email.", withEmail.Message);
    }
}
