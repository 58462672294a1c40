using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace KelolaPesan.Tests.Tenancy;

/// <summary>Licences issued, re-keyed, suspended and extended through <see cref="LicenceService"/>, checked by signing in.</summary>
public sealed class LicenceLifecycleTests : IAsyncLifetime
{
    private const string Password = "Rahasia123!";
    private static readonly AuditActor Admin = new(AuditActorType.Admin, Guid.NewGuid(), "Admin Test");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));
    private SqliteTestDatabase _db = null!;
    private LicenceService _licences = null!;
    private SignInService _signIn = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteTestDatabase.CreateAsync(_clock);
        var factory = _db.CreateFactory(SystemTenant.Instance);
        var audit = new AuditLog(factory, _clock);
        _licences = new LicenceService(factory, audit, _clock);
        _signIn = new SignInService(factory, new SignInThrottle(_clock), audit, _clock);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private IssueLicenceRequest Tenant(string name = "Toko Baru", string user = "budi") => new()
    {
        Kind = LicenceKind.Tenant, Name = name, OwnerUsername = user, OwnerDisplayName = "Budi", OwnerPassword = Password,
        MaxWorkspaces = 2, Tier = PolicyTier.Standard, Features = LicenceFeatures.Instagram, ExpiresAt = _clock.GetUtcNow().AddDays(30),
    };

    private Task<SignInResult> SignInAsync(string code, string user = "budi") => _signIn.SignInWithLicenceAsync(code, user, Password, "10.0.0.9");

    [Fact]
    public async Task AnIssuedTenantLicence_CreatesTenantAndOwner_WhoSignsInWithTheCode()
    {
        var issued = await _licences.IssueAsync(Tenant(), Admin);

        var result = await SignInAsync(issued.Code);

        Assert.True(result.Succeeded);
        Assert.Equal(Roles.Owner, result.User!.Role);
        Assert.Equal(issued.HolderId, result.User.TenantId);
        await using var db = _db.CreateSystem();
        var licence = await db.Licences.SingleAsync(l => l.Id == issued.LicenceId);
        Assert.Equal(LicenceCode.TryParse(issued.Code)!.Prefix, licence.CodePrefix);
        Assert.DoesNotContain(issued.Code, System.Text.Encoding.UTF8.GetString(licence.CodeHash));
        Assert.Equal((2, PolicyTier.Standard, LicenceFeatures.Instagram), (licence.MaxWorkspaces, licence.Tier, licence.Features));
        Assert.Contains(await db.AuditEntries.ToListAsync(), a => a.Action == AuditActions.LicenceIssued && a.TenantId == issued.HolderId && a.ActorId == Admin.Id);
    }

    [Fact]
    public async Task ARegeneratedCode_Works_AndTheOldOneIsRefused()
    {
        var issued = await _licences.IssueAsync(Tenant(), Admin);

        var newCode = await _licences.RegenerateCodeAsync(issued.LicenceId, Admin);

        Assert.NotNull(newCode);
        Assert.NotEqual(issued.Code, newCode);
        Assert.Equal(SignInFailure.InvalidCredentials, (await SignInAsync(issued.Code)).Failure);
        Assert.True((await SignInAsync(newCode!)).Succeeded);
    }

    [Fact]
    public async Task ASuspendedLicence_IsRefused_UntilReactivated()
    {
        var issued = await _licences.IssueAsync(Tenant(), Admin);

        Assert.Equal(LicenceChange.Done, await _licences.SuspendAsync(issued.LicenceId, Admin));
        Assert.Equal(SignInFailure.LicenceSuspended, (await SignInAsync(issued.Code)).Failure);

        await _licences.ReactivateAsync(issued.LicenceId, Admin);
        Assert.True((await SignInAsync(issued.Code)).Succeeded);
        await using var db = _db.CreateSystem();
        var actions = await db.AuditEntries.Select(a => a.Action).ToListAsync();
        Assert.Contains(AuditActions.LicenceSuspended, actions);
        Assert.Contains(AuditActions.LicenceReactivated, actions);
    }

    [Fact]
    public async Task AnExpiredLicence_IsRefused_UntilExtended()
    {
        var issued = await _licences.IssueAsync(Tenant(), Admin);
        _clock.Advance(TimeSpan.FromDays(31));

        Assert.Equal(SignInFailure.LicenceExpired, (await SignInAsync(issued.Code)).Failure);

        await _licences.ExtendAsync(issued.LicenceId, _clock.GetUtcNow().AddDays(365), Admin);
        Assert.True((await SignInAsync(issued.Code)).Succeeded);
    }

    [Fact]
    public async Task ExtendingIntoThePast_IsRefusedWithAMessage()
    {
        var issued = await _licences.IssueAsync(Tenant(), Admin);

        var error = await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => _licences.ExtendAsync(issued.LicenceId, _clock.GetUtcNow().AddDays(-1), Admin));
        Assert.Contains("future", error.Message);
    }

    [Fact]
    public async Task BadInput_IsRefused_AndNothingIsStored()
    {
        var request = Tenant();
        request.OwnerPassword = "short";
        request.OwnerUsername = "bad name!";

        var error = await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => _licences.IssueAsync(request, Admin));

        Assert.Equal(2, error.Errors.Count());
        await using var db = _db.CreateSystem();
        Assert.Equal(0, await db.Licences.CountAsync());
    }

    [Fact]
    public async Task ASuspension_DropsWhatEveryNodeKeeps_AtOnce_TheTenantsSendingAndItsPeoplesSessions()
    {
        // Two nodes' caches on one bus: a suspension made on one reached the other's senders only after 30 s.
        var bus = new KelolaPesan.Web.Realtime.InProcessRealtimeBus(Microsoft.Extensions.Logging.Abstractions.NullLogger<KelolaPesan.Web.Realtime.InProcessRealtimeBus>.Instance);
        using var standingA = new LicenceStandingCache(bus);
        using var standingB = new LicenceStandingCache(bus);
        using var accessA = new AccessCache(bus);
        using var accessB = new AccessCache(bus);
        var factory = _db.CreateFactory(SystemTenant.Instance);
        var licences = new LicenceService(factory, new AuditLog(factory, _clock), _clock, accessA, standingA);
        var issued = await licences.IssueAsync(Tenant(), Admin);
        Guid ownerId;
        await using (var db = _db.CreateSystem())
            ownerId = await db.Users.Where(u => u.TenantId == issued.HolderId).Select(u => u.Id).SingleAsync();
        var options = Microsoft.Extensions.Options.Options.Create(new AccessOptions());
        var onB = new LicenceStanding(factory, standingB, options, _clock);
        Assert.True(await onB.IsUsableAsync(issued.HolderId));
        var told = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = accessB.Watch(ownerId, isAdmin: false, () => told.TrySetResult());

        await licences.SuspendAsync(issued.LicenceId, Admin);

        await told.Task.WaitAsync(TimeSpan.FromSeconds(5));
        for (var until = DateTime.UtcNow.AddSeconds(5); await onB.IsUsableAsync(issued.HolderId); await Task.Delay(20))
            Assert.True(DateTime.UtcNow < until, "node B still lets the suspended tenant send");
    }

    [Fact]
    public async Task TheOwnersPhone_IsStoredAsANumberOfTheNewTenantsRegion_AndANonNumberIsRefused()
    {
        var request = Tenant();
        request.OwnerPhone = " 0812-3456-7890 ";

        var issued = await _licences.IssueAsync(request, Admin);

        await using (var db = _db.CreateSystem())
            Assert.Equal("+6281234567890", await db.Users.Where(u => u.TenantId == issued.HolderId).Select(u => u.Phone).SingleAsync());
        var bad = Tenant("Toko Lain", "sari");
        bad.OwnerPhone = "12";
        var error = await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => _licences.IssueAsync(bad, Admin));
        Assert.Equal(nameof(IssueLicenceRequest.OwnerPhone), Assert.Single(error.Errors).PropertyName);
    }

    [Fact]
    public async Task AnAgencyOwner_SignsIn_CreatesTenantsWithinQuota_AndIsToldWhenItIsUsedUp()
    {
        var agencyRequest = Tenant("Agensi Maju", "maju");
        agencyRequest.Kind = LicenceKind.Agency;
        agencyRequest.MaxTenants = 2;
        var agency = await _licences.IssueAsync(agencyRequest, Admin);
        var owner = await SignInAsync(agency.Code, "maju");
        Assert.Equal(Roles.AgencyOwner, owner.User!.Role);
        Assert.Equal(agency.HolderId, owner.User.AgencyId);

        var first = await _licences.IssueAgencyTenantAsync(agency.HolderId, Tenant("Klien Satu", "satu"), Admin);
        await _licences.IssueAgencyTenantAsync(agency.HolderId, Tenant("Klien Dua", "dua"), Admin);
        var over = await Assert.ThrowsAsync<TenantQuotaExceededException>(() => _licences.IssueAgencyTenantAsync(agency.HolderId, Tenant("Klien Tiga", "tiga"), Admin));

        Assert.Equal(2, over.MaxTenants);
        Assert.True((await SignInAsync(first.Code, "satu")).Succeeded);
        Assert.Equal((2, 2), await _licences.AgencyQuotaAsync(agency.HolderId));
        await using var db = _db.CreateSystem();
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Action == AuditActions.AgencyTenantCreated));
    }

    [Fact]
    public async Task AnAgency_SeesAndManagesOnlyItsOwnTenants()
    {
        var agencies = new List<IssuedLicence>();
        foreach (var name in new[] { "Agensi A", "Agensi B" })
        {
            var request = Tenant(name, name.Replace(" ", "").ToLowerInvariant());
            request.Kind = LicenceKind.Agency;
            agencies.Add(await _licences.IssueAsync(request, Admin));
        }
        await _licences.IssueAgencyTenantAsync(agencies[0].HolderId, Tenant("Klien A", "klienA"), Admin);
        var ofB = await _licences.IssueAgencyTenantAsync(agencies[1].HolderId, Tenant("Klien B", "klienB"), Admin);
        await _licences.IssueAsync(Tenant("Toko Langsung", "langsung"), Admin);

        var listA = await _licences.ListAsync(agencies[0].HolderId);

        Assert.Equal(["Klien A"], listA.Select(l => l.Name));
        Assert.Equal(LicenceChange.NotFound, await _licences.SuspendAsync(ofB.LicenceId, Admin, agencies[0].HolderId));
        Assert.Null(await _licences.RegenerateCodeAsync(ofB.LicenceId, Admin, agencies[0].HolderId));
        Assert.True((await SignInAsync(ofB.Code, "klienB")).Succeeded);
    }
}
