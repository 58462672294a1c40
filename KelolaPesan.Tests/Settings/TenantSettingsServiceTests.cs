using FluentValidation;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Tests.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using KelolaPesan.Tests.Infrastructure;

namespace KelolaPesan.Tests.Settings;

/// <summary>The tenant settings service over a real migrated SQLite file: owner-only, validated, audited, own tenant only.</summary>
public sealed class TenantSettingsServiceTests : IAsyncLifetime
{
    private static readonly AuditActor Owner = new(AuditActorType.User, Guid.NewGuid(), "Pemilik");
    private CoreServiceHost _host = null!;
    private Guid _otherTenant;

    public async Task InitializeAsync()
    {
        _host = await CoreServiceHost.CreateAsync();
        _otherTenant = await _host.Database.SeedAsync(db => Seed.Tenant(db, "Toko Lain").Id);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<T> Run<T>(Func<TenantSettingsService, Task<T>> action) =>
        _host.InScopeAsync(sp => action(sp.GetRequiredService<TenantSettingsService>()));

    private static TenantSettingsInput Input(string name = "Toko Baru", string zone = "Asia/Makassar", string region = "my") =>
        new() { Name = name, TimeZone = zone, PhoneRegion = region };

    [Fact]
    public async Task Update_SavesTheSettings_AndWritesAnAuditRow()
    {
        var before = await Run(s => s.GetAsync());
        Assert.Equal(("Test", Tenant.DefaultTimeZone, Tenant.DefaultRegion), (before!.Name, before.TimeZone, before.PhoneRegion));

        var saved = await Run(s => s.UpdateAsync(Input("  Toko Baru  "), UserRole.Owner, Owner));

        Assert.Equal(("Toko Baru", "Asia/Makassar", "MY"), (saved.Name, saved.TimeZone, saved.PhoneRegion));
        var reread = await Run(s => s.GetAsync());
        Assert.Equal(("Toko Baru", "Asia/Makassar", "MY"), (reread!.Name, reread.TimeZone, reread.PhoneRegion));
        Assert.Equal("Test", reread.LicenceName);
        await using var db = _host.Database.CreateSystem();
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == TenancyAuditActions.SettingsChanged);
        Assert.Equal((_host.TenantId, Owner.Id), (entry.TenantId, entry.ActorId));
        // Only what changed, each field as the code names it (the audit page shows it in the reader's language).
        Assert.Equal("Name: Test -> Toko Baru; TimeZone: Asia/Jakarta -> Asia/Makassar; PhoneRegion: ID -> MY", entry.Details);
        await Run(s => s.UpdateAsync(Input(zone: "Asia/Jayapura", region: "MY"), UserRole.Owner, Owner));
        Assert.Contains("TimeZone: Asia/Makassar -> Asia/Jayapura",
            await db.AuditEntries.Where(a => a.Action == TenancyAuditActions.SettingsChanged).Select(a => a.Details).ToListAsync());
    }

    [Theory]
    [InlineData("", "Asia/Jakarta", "ID", nameof(TenantSettingsInput.Name))]
    [InlineData("Toko", "Mars/Olympus", "ID", nameof(TenantSettingsInput.TimeZone))]
    [InlineData("Toko", "Asia/Jakarta", "XX", nameof(TenantSettingsInput.PhoneRegion))]
    public async Task Update_RefusesBadInput_NamingTheField_AndChangesNothing(string name, string zone, string region, string field)
    {
        var error = await Assert.ThrowsAsync<ValidationException>(() => Run(s => s.UpdateAsync(Input(name, zone, region), UserRole.Owner, Owner)));

        Assert.Equal(field, Assert.Single(error.Errors).PropertyName);
        var after = await Run(s => s.GetAsync());
        Assert.Equal(("Test", Tenant.DefaultTimeZone, Tenant.DefaultRegion), (after!.Name, after.TimeZone, after.PhoneRegion));
    }

    [Fact]
    public async Task Update_RefusesANameOverTheLimit()
    {
        var error = await Assert.ThrowsAsync<ValidationException>(() =>
            Run(s => s.UpdateAsync(Input(new string('a', Tenant.NameMaxLength + 1)), UserRole.Owner, Owner)));
        Assert.Equal(nameof(TenantSettingsInput.Name), Assert.Single(error.Errors).PropertyName);
    }

    [Theory]
    [InlineData(UserRole.Manager)]
    [InlineData(UserRole.Agent)]
    [InlineData(null)]
    public async Task Update_RefusesAnyoneButTheOwner(UserRole? role)
    {
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Run(s => s.UpdateAsync(Input(), role, Owner)));

        var after = await Run(s => s.GetAsync());
        Assert.Equal("Test", after!.Name);
        await using var db = _host.Database.CreateSystem();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == TenancyAuditActions.SettingsChanged));
    }

    [Fact]
    public async Task Update_LeavesAnotherTenantUntouched()
    {
        await Run(s => s.UpdateAsync(Input(), UserRole.Owner, Owner));

        await using var db = _host.Database.CreateSystem();
        var other = await db.Tenants.SingleAsync(t => t.Id == _otherTenant);
        Assert.Equal(("Toko Lain", Tenant.DefaultTimeZone, Tenant.DefaultRegion), (other.Name, other.TimeZone, other.PhoneRegion));
    }

    [Fact]
    public void Options_OfferIanaZonesAndSupportedRegions()
    {
        Assert.Contains("Asia/Jakarta", TenantSettingsOptions.TimeZones);
        Assert.Contains("ID", TenantSettingsOptions.PhoneRegions);
        Assert.All(TenantSettingsOptions.TimeZones, z => Assert.True(TenantSettingsOptions.IsKnownTimeZone(z), z));
    }

    [Fact]
    public async Task AssignOnReply_IsOnByDefault_OnlyTheOwnerTurnsItOff_Audited_OwnTenantOnly()
    {
        Assert.True(await Run(s => s.GetAssignOnReplyAsync()));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Run(async s => { await s.SetAssignOnReplyAsync(false, UserRole.Manager, Owner); return 0; }));
        Assert.True(await Run(s => s.GetAssignOnReplyAsync()));

        await Run(async s => { await s.SetAssignOnReplyAsync(false, UserRole.Owner, Owner); return 0; });

        Assert.False(await Run(s => s.GetAssignOnReplyAsync()));
        await using var db = _host.Database.CreateSystem();
        Assert.True(await db.Tenants.Where(t => t.Id == _otherTenant).Select(t => t.AssignOnReply).SingleAsync());
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == TenancyAuditActions.SettingsChanged);
        Assert.Equal((_host.TenantId, "AssignOnReply: True -> False"), (entry.TenantId, entry.Details));
    }
}
