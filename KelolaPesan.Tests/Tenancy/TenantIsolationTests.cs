using System.Security.Cryptography;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Time.Testing;

namespace KelolaPesan.Tests.Tenancy;

/// <summary>
/// Walks the EF model rather than a hand-kept list, so a new tenant-owned entity that the
/// tenant filter does not cover fails here without anyone remembering to add a test. Runs on every provider the run
/// reaches (<see cref="ProvidersAttribute"/>): the filters are translated to each provider's SQL.
/// </summary>
public sealed class TenantIsolationTests(TenantIsolationFixture fixture) : IClassFixture<TenantIsolationFixture>
{
    // Entities with their own tenant rule (not ITenantOwned): covered by dedicated tests below.
    private static readonly Type[] SpecialFilterTypes = [typeof(Tenant), typeof(AppUser), typeof(AuditEntry)];

    private static bool IsTenantOwned(Type type) => typeof(ITenantOwned).IsAssignableFrom(type);

    private static bool IsPlatform(Type type) => !IsTenantOwned(type) && !SpecialFilterTypes.Contains(type);

    public static TheoryData<DatabaseProvider, string> TenantOwnedTypes() => AsTheoryData(IsTenantOwned);

    public static TheoryData<DatabaseProvider, string> PlatformTypes() => AsTheoryData(IsPlatform);

    [Fact]
    public void TheModel_HasTenantOwnedAndPlatformEntities_ForTheTheoriesToWalk()
    {
        Assert.True(ModelTypes(IsTenantOwned).Count() >= 41, "fewer tenant-owned entities than the model had when this test was written: was one dropped from the model?");
        Assert.Contains(typeof(Licence), ModelTypes(IsPlatform));
    }

    [Theory]
    [MemberData(nameof(TenantOwnedTypes))]
    public async Task ATenantContext_SeesExactlyItsOwnRows_OfEveryTenantOwnedType(DatabaseProvider provider, string typeName)
    {
        var world = await fixture.ForAsync(provider);
        var type = ModelType(typeName);
        await using var a = world.Database.CreateForTenant(world.A.TenantId);
        await using var b = world.Database.CreateForTenant(world.B.TenantId);

        Assert.Equal([world.A.RowOf(type)], await IdsAsync(a, type));
        Assert.Equal([world.B.RowOf(type)], await IdsAsync(b, type));
    }

    [Theory]
    [MemberData(nameof(TenantOwnedTypes))]
    public async Task AContextWithNoTenant_SeesNoRows_OfAnyTenantOwnedType(DatabaseProvider provider, string typeName)
    {
        var world = await fixture.ForAsync(provider);
        await using var db = world.Database.CreateWithoutTenant();

        Assert.Empty(await IdsAsync(db, ModelType(typeName)));
    }

    [Theory]
    [MemberData(nameof(TenantOwnedTypes))]
    public async Task ASystemContext_SeesTheRowsOfBothTenants(DatabaseProvider provider, string typeName)
    {
        var world = await fixture.ForAsync(provider);
        var type = ModelType(typeName);
        await using var db = world.Database.CreateSystem();

        var ids = await IdsAsync(db, type);

        Assert.Contains(world.A.RowOf(type), ids);
        Assert.Contains(world.B.RowOf(type), ids);
    }

    [Theory]
    [MemberData(nameof(PlatformTypes))]
    public async Task PlatformTables_AreInvisibleToATenantContext_AndVisibleToTheSystem(DatabaseProvider provider, string typeName)
    {
        var world = await fixture.ForAsync(provider);
        var type = ModelType(typeName);
        await using var tenant = world.Database.CreateForTenant(world.A.TenantId);
        await using var anonymous = world.Database.CreateWithoutTenant();
        await using var system = world.Database.CreateSystem();

        Assert.Equal(0, await CountAsync(tenant, type));
        Assert.Equal(0, await CountAsync(anonymous, type));
        Assert.True(await CountAsync(system, type) > 0, $"the fixture seeded no {type.Name} row, so this test proves nothing");
    }

    [Theory, Providers]
    public async Task ATenantContext_SeesOnlyItsOwnTenantRow(DatabaseProvider provider)
    {
        var world = await fixture.ForAsync(provider);
        await using var a = world.Database.CreateForTenant(world.A.TenantId);
        await using var none = world.Database.CreateWithoutTenant();
        await using var system = world.Database.CreateSystem();

        Assert.Equal([world.A.TenantId], await a.Tenants.Select(t => t.Id).ToListAsync());
        Assert.Empty(await none.Tenants.ToListAsync());
        Assert.Superset(new HashSet<Guid> { world.A.TenantId, world.B.TenantId }, (await system.Tenants.Select(t => t.Id).ToListAsync()).ToHashSet());
    }

    [Theory, Providers]
    public async Task ATenantContext_SeesOnlyItsOwnUsers_NeverAgencyOwnersOrOtherTenantsUsers(DatabaseProvider provider)
    {
        var world = await fixture.ForAsync(provider);
        await using var a = world.Database.CreateForTenant(world.A.TenantId);
        await using var none = world.Database.CreateWithoutTenant();
        await using var system = world.Database.CreateSystem();

        Assert.Equal([world.A.RowOf(typeof(AppUser))], await a.Users.Select(u => u.Id).ToListAsync());
        Assert.Empty(await none.Users.ToListAsync());
        var all = await system.Users.Select(u => u.Id).ToListAsync();
        Assert.Contains(world.AgencyOwnerId, all);
        Assert.Contains(world.B.RowOf(typeof(AppUser)), all);
    }

    [Theory, Providers]
    public async Task ATenantContext_SeesOnlyItsOwnAuditEntries_NeverPlatformEntries(DatabaseProvider provider)
    {
        var world = await fixture.ForAsync(provider);
        await using var a = world.Database.CreateForTenant(world.A.TenantId);
        await using var none = world.Database.CreateWithoutTenant();
        await using var system = world.Database.CreateSystem();

        Assert.Equal([world.A.RowOf(typeof(AuditEntry))], await a.AuditEntries.Select(e => e.Id).ToListAsync());
        Assert.Empty(await none.AuditEntries.ToListAsync());
        var all = await system.AuditEntries.Select(e => e.Id).ToListAsync();
        Assert.Contains(world.PlatformAuditEntryId, all);
        Assert.Contains(world.B.RowOf(typeof(AuditEntry)), all);
    }

    [Theory, Providers]
    public async Task RemovingAContact_MarksItDeletedAndHidesIt_ButIgnoringTheSoftDeleteFilterStillFindsIt(DatabaseProvider provider)
    {
        var world = await fixture.ForAsync(provider);
        var contact = new Contact { TenantId = world.A.TenantId, WorkspaceId = world.A.WorkspaceId, Name = "Siti", Phone = "+6281200000099" };
        await using (var db = world.Database.CreateForTenant(world.A.TenantId))
        {
            db.Contacts.Add(contact);
            await db.SaveChangesAsync();
        }
        world.Clock.Advance(TimeSpan.FromMinutes(5));
        var deletedAt = world.Clock.GetUtcNow();

        await using (var db = world.Database.CreateForTenant(world.A.TenantId))
        {
            db.Contacts.Remove(await db.Contacts.SingleAsync(c => c.Id == contact.Id));
            await db.SaveChangesAsync();
        }

        await using var after = world.Database.CreateForTenant(world.A.TenantId);
        Assert.False(await after.Contacts.AnyAsync(c => c.Id == contact.Id));
        var marked = await after.Contacts.IgnoreQueryFilters([KelolaDbContext.SoftDeleteFilter]).SingleAsync(c => c.Id == contact.Id);
        Assert.Equal(deletedAt, marked.DeletedAt);

        // Ignoring the soft-delete filter must not also drop the tenant filter.
        await using var otherTenant = world.Database.CreateForTenant(world.B.TenantId);
        Assert.False(await otherTenant.Contacts.IgnoreQueryFilters([KelolaDbContext.SoftDeleteFilter]).AnyAsync(c => c.Id == contact.Id));
    }

    private static readonly IModel Model = ModelOnlyContext().Model;

    private static KelolaDbContext ModelOnlyContext() => new SqliteKelolaDbContext(
        new DbContextOptionsBuilder<SqliteKelolaDbContext>().UseSqlite("Data Source=model-only.db").Options, SystemTenant.Instance);

    private static IEnumerable<Type> ModelTypes(Func<Type, bool> predicate) =>
        Model.GetEntityTypes().Select(t => t.ClrType).Where(predicate).OrderBy(t => t.FullName);

    // Full names, not Types: xunit shows and re-runs each case by its serialised argument.
    private static TheoryData<DatabaseProvider, string> AsTheoryData(Func<Type, bool> predicate)
    {
        var data = new TheoryData<DatabaseProvider, string>();
        foreach (var provider in ProvidersAttribute.Available)
            foreach (var type in ModelTypes(predicate))
                data.Add(provider, type.FullName!);
        return data;
    }

    private static Type ModelType(string fullName) => Model.GetEntityTypes().Single(t => t.ClrType.FullName == fullName).ClrType;

    private static Task<List<Guid>> IdsAsync(DbContext db, Type type) =>
        (Task<List<Guid>>)typeof(TenantIsolationTests).GetMethod(nameof(IdsOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(type).Invoke(null, [db])!;

    private static Task<List<Guid>> IdsOf<T>(DbContext db) where T : Entity => db.Set<T>().Select(e => e.Id).ToListAsync();

    private static Task<int> CountAsync(DbContext db, Type type) =>
        (Task<int>)typeof(TenantIsolationTests).GetMethod(nameof(CountOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(type).Invoke(null, [db])!;

    private static Task<int> CountOf<T>(DbContext db) where T : class => db.Set<T>().CountAsync();
}

/// <summary>
/// For each provider, one database seeded once for the class (made when a test first asks for that provider): two
/// tenants with one row of every tenant-owned type each, one row of every platform type, an agency owner (no tenant)
/// and a platform audit entry (no tenant).
/// </summary>
public sealed class TenantIsolationFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<DatabaseProvider, TenantWorld> _worlds = [];

    public async Task<TenantWorld> ForAsync(DatabaseProvider provider)
    {
        await _lock.WaitAsync();
        try
        {
            if (!_worlds.TryGetValue(provider, out var world))
                _worlds[provider] = world = await SeedAsync(provider);
            return world;
        }
        finally
        {
            _lock.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var world in _worlds.Values)
            await world.Database.DisposeAsync();
    }

    private static async Task<TenantWorld> SeedAsync(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 5, 3, 0, 0, TimeSpan.Zero));
        var database = await TestDatabase.CreateAsync(provider, clock);
        await using var db = database.CreateSystem();
        var platform = SeedPlatform(db);
        var a = SeedTenant(db, "a");
        var b = SeedTenant(db, "b");

        var agencyOwner = new AppUser { AgencyId = platform[typeof(Agency)], Username = "agency", DisplayName = "Agency", Role = UserRole.AgencyOwner };
        var platformAudit = new AuditEntry { ActorName = "admin", Action = "policy.changed", ActorType = AuditActorType.Admin };
        db.AddRange(agencyOwner, platformAudit);
        await db.SaveChangesAsync();
        return new TenantWorld(clock, database, a, b, agencyOwner.Id, platformAudit.Id);
    }

    /// <summary>One row of every type that is neither tenant-owned nor specially filtered (licences, policies, keys...).</summary>
    private static Dictionary<Type, Guid> SeedPlatform(KelolaDbContext db)
    {
        var rows = new Dictionary<Type, Guid>();
        var types = db.Model.GetEntityTypes()
            .Where(t => !typeof(ITenantOwned).IsAssignableFrom(t.ClrType) && t.ClrType != typeof(Tenant) && t.ClrType != typeof(AppUser) && t.ClrType != typeof(AuditEntry));
        foreach (var entityType in InDependencyOrder(types))
        {
            var row = NewRow(entityType, principal => rows.GetValueOrDefault(principal));
            db.Add(row);
            if (row is Entity entity)
                rows[entityType.ClrType] = entity.Id;
        }
        return rows;
    }

    private static TenantRows SeedTenant(KelolaDbContext db, string tag)
    {
        var tenant = Seed.Tenant(db, $"tenant {tag}");
        var user = tenant.User($"owner-{tag}", UserRole.Owner);
        var audit = new AuditEntry { TenantId = tenant.Id, ActorName = $"owner-{tag}", Action = "user.signed-in", ActorType = AuditActorType.User };
        db.Add(audit);

        var rows = new Dictionary<Type, Guid> { [typeof(Tenant)] = tenant.Id, [typeof(AppUser)] = user.Id, [typeof(AuditEntry)] = audit.Id };
        var tenantOwned = db.Model.GetEntityTypes().Where(t => typeof(ITenantOwned).IsAssignableFrom(t.ClrType));
        foreach (var entityType in InDependencyOrder(tenantOwned))
        {
            var row = (Entity)NewRow(entityType, principal => rows.GetValueOrDefault(principal));
            ((ITenantOwned)row).TenantId = tenant.Id;
            if (row is IWorkspaceOwned workspaceOwned)
                workspaceOwned.WorkspaceId = rows[typeof(Core.Workspaces.Workspace)];
            db.Add(row);
            rows[entityType.ClrType] = row.Id;
        }
        return new TenantRows(tenant.Id, rows[typeof(Core.Workspaces.Workspace)], rows);
    }

    /// <summary>
    /// A valid row built from the model alone: short unique strings within their max length, a few bytes
    /// for binary columns, and every foreign key pointing at the row already made for its principal type
    /// (principals come first, see <see cref="InDependencyOrder"/>). Other Guids get fresh values.
    /// </summary>
    private static object NewRow(IEntityType entityType, Func<Type, Guid> principalRow)
    {
        var row = Activator.CreateInstance(entityType.ClrType)!;
        foreach (var property in entityType.GetProperties().Where(p => p.PropertyInfo is not null && !p.IsPrimaryKey()))
        {
            var info = property.PropertyInfo!;
            var fk = property.GetContainingForeignKeys().FirstOrDefault();
            if (fk is not null)
            {
                var principal = principalRow(fk.PrincipalEntityType.ClrType);
                if (principal != Guid.Empty)
                    info.SetValue(row, principal);
                else if (!property.IsNullable)
                    throw new InvalidOperationException($"{entityType.ClrType.Name}.{info.Name} needs a {fk.PrincipalEntityType.ClrType.Name} row first");
            }
            else if (info.PropertyType == typeof(string))
                info.SetValue(row, RandomText(Math.Min(property.GetMaxLength() ?? 12, 12)));
            else if (info.PropertyType == typeof(byte[]))
                info.SetValue(row, RandomNumberGenerator.GetBytes(Math.Min(property.GetMaxLength() ?? 16, 16)));
            else if (info.PropertyType == typeof(Guid))
                info.SetValue(row, Guid.CreateVersion7());
        }
        return row;
    }

    private static string RandomText(int length) => Convert.ToHexString(RandomNumberGenerator.GetBytes((length + 1) / 2))[..length].ToLowerInvariant();

    // A workspace-owned row needs the workspace even where no foreign key says so (e.g. BotKeyword).
    private static IEnumerable<Type> DependsOn(IEntityType type) =>
        type.GetForeignKeys().Select(fk => fk.PrincipalEntityType.ClrType)
            .Concat(typeof(IWorkspaceOwned).IsAssignableFrom(type.ClrType) ? [typeof(Core.Workspaces.Workspace)] : []);

    /// <summary>Principals before dependents among the given types (Kahn's algorithm over the model's foreign keys).</summary>
    private static List<IEntityType> InDependencyOrder(IEnumerable<IEntityType> types)
    {
        var pending = types.ToList();
        var ordered = new List<IEntityType>();
        while (pending.Count > 0)
        {
            var ready = pending
                .Where(t => DependsOn(t).All(principal => principal == t.ClrType || !pending.Any(p => p.ClrType == principal)))
                .OrderBy(t => t.ClrType.FullName)
                .ToList();
            if (ready.Count == 0)
                throw new InvalidOperationException("Foreign key cycle among: " + string.Join(", ", pending.Select(t => t.ClrType.Name)));
            ordered.AddRange(ready);
            pending.RemoveAll(ready.Contains);
        }
        return ordered;
    }
}

/// <summary>One provider's seeded database and the rows the tests look for.</summary>
public sealed record TenantWorld(FakeTimeProvider Clock, TestDatabase Database, TenantRows A, TenantRows B, Guid AgencyOwnerId, Guid PlatformAuditEntryId);

public sealed record TenantRows(Guid TenantId, Guid WorkspaceId, IReadOnlyDictionary<Type, Guid> Rows)
{
    public Guid RowOf(Type type) => Rows[type];
}
