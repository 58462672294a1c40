using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace KelolaPesan.Tests.Accounts;

public sealed class SignInServiceTests : IAsyncLifetime
{
    private const string Password = "Rahasia123!";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));
    private SqliteTestDatabase _db = null!;
    private SignInService _signIn = null!;
    private LicenceCode _code = null!;
    private Guid _licenceId;

    public async Task InitializeAsync()
    {
        _db = await SqliteTestDatabase.CreateAsync(_clock);
        var factory = _db.CreateFactory(SystemTenant.Instance);
        _signIn = new SignInService(factory, new SignInThrottle(_clock), new AuditLog(factory, _clock), _clock);

        _code = LicenceCode.Generate();
        _licenceId = await _db.SeedAsync(db =>
        {
            var tenant = Seed.Tenant(db, "Toko", Seed.WithCode(_code, l => l.ExpiresAt = _clock.GetUtcNow().AddDays(30)));
            tenant.User("ani", UserRole.Owner, u => (u.DisplayName, u.PasswordHash) = ("Ani", PasswordHashing.Hash(Password)));
            return tenant.Licence.Id;
        });
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task RightCode_UserAndPassword_SignIn_AndRecordTheLastLogin()
    {
        var result = await _signIn.SignInWithLicenceAsync(_code.Code, "ani", Password, "10.0.0.1");

        Assert.True(result.Succeeded);
        Assert.Equal(Roles.Owner, result.User!.Role);
        await using var db = _db.CreateSystem();
        Assert.Equal(_clock.GetUtcNow(), (await db.Users.SingleAsync()).LastLoginAt);
        Assert.Contains(await db.AuditEntries.ToListAsync(), a => a.Action == AuditActions.SignIn && a.Succeeded);
    }

    /// <summary>QA (2026-12-06): sign-in entries named the username where every team entry names the display name.</summary>
    [Fact]
    public async Task ASignIn_IsAuditedUnderTheDisplayName_WithTheUsernameInItsDetails_AndARefusalUnderWhatWasTyped()
    {
        Assert.True((await _signIn.SignInWithLicenceAsync(_code.Code, " ANI ", Password, "10.0.0.1")).Succeeded);
        Assert.False((await _signIn.SignInWithLicenceAsync(_code.Code, "budi", Password, "10.0.0.1")).Succeeded);

        await using var db = _db.CreateSystem();
        var signIn = await db.AuditEntries.SingleAsync(a => a.Action == AuditActions.SignIn);
        Assert.Equal(("Ani", "Username: ANI"), (signIn.ActorName, signIn.Details));
        Assert.Equal("budi", (await db.AuditEntries.SingleAsync(a => a.Action == AuditActions.SignInFailed)).ActorName);
    }

    [Fact]
    public async Task TheCodeIsForgiving_OfCaseSpacesAndMissingDashes()
    {
        var typed = " " + _code.Code.Replace("-", " ").ToLowerInvariant() + " ";

        Assert.True((await _signIn.SignInWithLicenceAsync(typed, "ani", Password, null)).Succeeded);
    }

    [Fact]
    public async Task TheUsername_IsMatchedWhateverItsCase_OnEveryProvider()
    {
        // SQLite compares text case-sensitively and SQL Server (by default) does not: the stored normalised form decides.
        Assert.True((await _signIn.SignInWithLicenceAsync(_code.Code, " ANI ", Password, null)).Succeeded);
    }

    [Fact]
    public async Task TwoUsernames_DifferingOnlyInCase_CannotBothExist_InOneTenant()
    {
        await using var db = _db.CreateSystem();
        var tenantId = (await db.Users.SingleAsync()).TenantId;
        db.Users.Add(new AppUser { TenantId = tenantId, Username = "Ani", DisplayName = "Ani lagi", Role = UserRole.Agent });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Theory]
    [InlineData("code")]
    [InlineData("user")]
    [InlineData("password")]
    public async Task AnyWrongPart_IsRefused_WithTheSameAnswer(string wrong)
    {
        var code = wrong == "code" ? LicenceCode.Generate().Code : _code.Code;
        var result = await _signIn.SignInWithLicenceAsync(code, wrong == "user" ? "budi" : "ani", wrong == "password" ? "salah12345" : Password, null);

        Assert.False(result.Succeeded);
        Assert.Equal(SignInFailure.InvalidCredentials, result.Failure);
        await using var db = _db.CreateSystem();
        Assert.Contains(await db.AuditEntries.ToListAsync(), a => a.Action == AuditActions.SignInFailed && !a.Succeeded);
    }

    [Fact]
    public async Task ASuspendedLicence_CannotSignIn_AndSaysWhy()
    {
        await UpdateLicenceAsync(l => l.Status = LicenceStatus.Suspended);

        var result = await _signIn.SignInWithLicenceAsync(_code.Code, "ani", Password, null);

        Assert.Equal(SignInFailure.LicenceSuspended, result.Failure);
    }

    [Fact]
    public async Task AnExpiredLicence_CannotSignIn_AndSaysWhy()
    {
        _clock.Advance(TimeSpan.FromDays(31));

        var result = await _signIn.SignInWithLicenceAsync(_code.Code, "ani", Password, null);

        Assert.Equal(SignInFailure.LicenceExpired, result.Failure);
    }

    [Fact]
    public async Task ARegeneratedCode_InvalidatesTheOldOne()
    {
        var fresh = LicenceCode.Generate();
        await UpdateLicenceAsync(l => { l.CodePrefix = fresh.Prefix; l.CodeHash = fresh.Hash; });

        Assert.Equal(SignInFailure.InvalidCredentials, (await _signIn.SignInWithLicenceAsync(_code.Code, "ani", Password, null)).Failure);
        Assert.True((await _signIn.SignInWithLicenceAsync(fresh.Code, "ani", Password, null)).Succeeded);
    }

    [Fact]
    public async Task FiveFailures_LockTheAccount_EvenForTheRightPassword_UntilTheWindowPasses()
    {
        for (var i = 0; i < SignInThrottle.MaxFailures; i++)
            await _signIn.SignInWithLicenceAsync(_code.Code, "ani", "salah12345", "10.0.0.9");

        var locked = await _signIn.SignInWithLicenceAsync(_code.Code, "ani", Password, "10.0.0.10");
        Assert.Equal(SignInFailure.TooManyAttempts, locked.Failure);
        Assert.NotNull(locked.RetryAfter);

        _clock.Advance(SignInThrottle.Window);
        Assert.True((await _signIn.SignInWithLicenceAsync(_code.Code, "ani", Password, "10.0.0.10")).Succeeded);
    }

    [Fact]
    public async Task ManyFailuresFromOneAddress_LockThatAddress_ForEveryAccount()
    {
        for (var i = 0; i < SignInThrottle.MaxFailures; i++)
            await _signIn.SignInWithLicenceAsync(LicenceCode.Generate().Code, $"user{i}", "salah12345", "10.0.0.66");

        Assert.Equal(SignInFailure.TooManyAttempts, (await _signIn.SignInWithLicenceAsync(_code.Code, "ani", Password, "10.0.0.66")).Failure);
        Assert.True((await _signIn.SignInWithLicenceAsync(_code.Code, "ani", Password, "10.0.0.67")).Succeeded);
    }

    [Fact]
    public async Task Admins_SignInWithEmailAndPassword_AndADisabledAdminCannot()
    {
        var accounts = new AccountService(_db.CreateFactory(SystemTenant.Instance), new AuditLog(_db.CreateFactory(SystemTenant.Instance), _clock), new AccessCache());
        await accounts.CreateAdminAsync(" Ops@Kelola.Test ", "Ops", "Admin1234!");

        var ok = await _signIn.SignInAdminAsync("ops@kelola.test", "Admin1234!", null);
        Assert.Equal(Roles.Admin, ok.User!.Role);
        Assert.Equal(SignInFailure.InvalidCredentials, (await _signIn.SignInAdminAsync("ops@kelola.test", "wrong-pass", null)).Failure);

        await using (var db = _db.CreateSystem())
            await db.AdminUsers.ExecuteUpdateAsync(s => s.SetProperty(a => a.IsActive, false));
        Assert.Equal(SignInFailure.AccountDisabled, (await _signIn.SignInAdminAsync("ops@kelola.test", "Admin1234!", null)).Failure);
    }

    [Fact]
    public async Task CreateAdmin_RefusesADuplicateEmail_AndAShortPassword()
    {
        var accounts = new AccountService(_db.CreateFactory(SystemTenant.Instance), new AuditLog(_db.CreateFactory(SystemTenant.Instance), _clock), new AccessCache());
        await accounts.CreateAdminAsync("a@kelola.test", "A", "Admin1234!");

        await Assert.ThrowsAsync<InvalidOperationException>(() => accounts.CreateAdminAsync("A@kelola.test", "A", "Admin1234!"));
        await Assert.ThrowsAsync<ArgumentException>(() => accounts.CreateAdminAsync("b@kelola.test", "B", "short"));
    }

    private async Task UpdateLicenceAsync(Action<Licence> change)
    {
        await using var db = _db.CreateSystem();
        var licence = await db.Licences.SingleAsync(l => l.Id == _licenceId);
        change(licence);
        await db.SaveChangesAsync();
    }
}
