using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace KelolaPesan.Tests.Accounts;

/// <summary>What the one access check looks at, on a real SQLite file: each reason to refuse, for each kind of account.</summary>
public sealed class AccessValidatorTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));
    private readonly AccessCache _cache = new();
    private SqliteTestDatabase _db = null!;
    private AccessValidator _access = null!;
    private Licence _licence = null!;
    private AppUser _agent = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteTestDatabase.CreateAsync(_clock);
        _access = new AccessValidator(_db.CreateFactory(SystemTenant.Instance), _cache, Options.Create(new AccessOptions()), _clock);
        (_licence, _agent) = await _db.SeedAsync(db =>
        {
            var tenant = Seed.Tenant(db, "Toko", l => l.ExpiresAt = _clock.GetUtcNow().AddDays(30));
            return (tenant.Licence, tenant.User("ani", UserRole.Agent, u => u.DisplayName = "Ani"));
        });
    }

    public async Task DisposeAsync()
    {
        _cache.Dispose();
        await _db.DisposeAsync();
    }

    private AccessTicket Agent(string? stamp = null) => new(_agent.Id, false, stamp ?? _agent.SecurityStamp);

    [Fact]
    public async Task AnActiveUser_WithItsStampAndAUsableLicence_IsValid()
    {
        Assert.True(await _access.IsValidAsync(Agent()));
        Assert.False(await _access.IsValidAsync(Agent("another-stamp")));
        Assert.False(await _access.IsValidAsync(Agent("")));
        Assert.False(await _access.IsValidAsync(new AccessTicket(Guid.CreateVersion7(), false, _agent.SecurityStamp)));
    }

    [Fact]
    public async Task ADeactivatedUser_IsRefused_AndARefusalIsNeverCached()
    {
        await SetAsync(db => db.Users.Where(u => u.Id == _agent.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false)));
        Assert.False(await _access.IsValidAsync(Agent()));

        await SetAsync(db => db.Users.Where(u => u.Id == _agent.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, true)));
        Assert.True(await _access.IsValidAsync(Agent()));
    }

    [Fact]
    public async Task ARotatedStamp_EndsTheOldTicket_EvenWhileItsAnswerIsCached()
    {
        Assert.True(await _access.IsValidAsync(Agent()));
        await _access.RotateStampAsync(_agent.Id, isAdmin: false);

        await using var db = _db.CreateSystem();
        var fresh = await db.Users.Where(u => u.Id == _agent.Id).Select(u => u.SecurityStamp).SingleAsync();
        Assert.NotEqual(_agent.SecurityStamp, fresh);
        Assert.True(await _access.IsValidAsync(Agent(fresh)));
        // The old stamp's cached "yes" still answers until it expires (at most one interval): the new stamp's session is
        // unaffected, and a request with the old cookie is refused once the entry is gone; the browser tests cover that end.
    }

    [Fact]
    public async Task ASuspendedOrExpiredLicence_RefusesItsUsers()
    {
        await SetAsync(db => db.Licences.Where(l => l.Id == _licence.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.Status, LicenceStatus.Suspended)));
        Assert.False(await _access.IsValidAsync(Agent()));

        await SetAsync(db => db.Licences.Where(l => l.Id == _licence.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.Status, LicenceStatus.Active)));
        Assert.True(await _access.IsValidAsync(Agent()));

        _clock.Advance(TimeSpan.FromDays(31));
        _cache.Dispose();
        var access = new AccessValidator(_db.CreateFactory(SystemTenant.Instance), new AccessCache(), Options.Create(new AccessOptions()), _clock);
        Assert.False(await access.IsValidAsync(Agent()));
    }

    [Fact]
    public async Task AnAgencyOwner_FollowsTheAgencysLicence()
    {
        var licence = new Licence { Kind = LicenceKind.Agency, Name = "Agensi", CodePrefix = "AKSES002", CodeHash = new byte[32] };
        var agency = new Agency { Name = "Agensi", LicenceId = licence.Id };
        var owner = new AppUser { AgencyId = agency.Id, Username = "agensi", DisplayName = "Agensi", Role = UserRole.AgencyOwner };
        await SetAsync(db =>
        {
            db.AddRange(licence, agency, owner);
            return db.SaveChangesAsync();
        });
        var ticket = new AccessTicket(owner.Id, false, owner.SecurityStamp);
        Assert.True(await _access.IsValidAsync(ticket));

        await SetAsync(db => db.Licences.Where(l => l.Id == licence.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.Status, LicenceStatus.Suspended)));
        Assert.False(await new AccessValidator(_db.CreateFactory(SystemTenant.Instance), new AccessCache(), Options.Create(new AccessOptions()), _clock)
            .IsValidAsync(ticket));
    }

    [Fact]
    public async Task AnAdmin_IsValidWhileActive_WithItsStamp()
    {
        var admin = new AdminUser { Email = "a@uji.local", Name = "A" };
        await SetAsync(db =>
        {
            db.AdminUsers.Add(admin);
            return db.SaveChangesAsync();
        });
        Assert.True(await _access.IsValidAsync(new AccessTicket(admin.Id, true, admin.SecurityStamp)));
        // An admin's id is never taken for a tenant user's, nor the other way round.
        Assert.False(await _access.IsValidAsync(new AccessTicket(admin.Id, false, admin.SecurityStamp)));
        Assert.False(await _access.IsValidAsync(new AccessTicket(_agent.Id, true, _agent.SecurityStamp)));

        await SetAsync(db => db.AdminUsers.Where(a => a.Id == admin.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.IsActive, false)));
        Assert.False(await new AccessValidator(_db.CreateFactory(SystemTenant.Instance), new AccessCache(), Options.Create(new AccessOptions()), _clock)
            .IsValidAsync(new AccessTicket(admin.Id, true, admin.SecurityStamp)));
    }

    private async Task SetAsync(Func<KelolaDbContext, Task> change)
    {
        await using var db = _db.CreateSystem();
        await change(db);
    }
}
