using System.Data.Common;
using System.Text.RegularExpressions;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Tests.Inbox;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace KelolaPesan.Tests.Data;

/// <summary>
/// Every provider runs with a retrying execution strategy (SQLite's own, SQL Server's EnableRetryOnFailure), which
/// refuses a transaction opened by hand: transactions go through <see cref="IKelolaDb.InTransactionAsync{T}"/> only.
/// </summary>
public sealed class TransactionTests
{
    [Fact]
    public async Task Sqlite_RefusesAHandOpenedTransaction_AsTheServerProvidersDo()
    {
        await using var database = await SqliteTestDatabase.CreateAsync();
        var (tenantId, workspaceId) = await SeedAsync(database);
        await using var db = database.CreateForTenant(tenantId);

        // The way seven write paths used to do it: SQL Server's retrying strategy throws here, now SQLite's does too.
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.Labels.Add(new Label { TenantId = tenantId, WorkspaceId = workspaceId, Name = "VIP" });
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());

        Assert.Contains("execution strategy", refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task InTransaction_AfterABusyCommit_RunsTheWholeUnitAgain_FromWhatIsStored()
    {
        var busy = new BusyCommits();
        await using var database = await SqliteTestDatabase.CreateAsync([busy]);
        var (tenantId, workspaceId) = await SeedAsync(database);
        var attempts = 0;

        busy.Remaining = 1;
        await using (var db = database.CreateForTenant(tenantId))
        {
            await db.InTransactionAsync(async ct =>
            {
                attempts++;
                // Saved by the first attempt and rolled back with it: the retry must read it afresh, not trust memory.
                var workspace = await db.Workspaces.SingleAsync(w => w.Id == workspaceId, ct);
                workspace.Name = "Toko Baru";
                db.Labels.Add(new Label { TenantId = tenantId, WorkspaceId = workspaceId, Name = "VIP" });
                await db.SaveChangesAsync(ct);
                await db.Workspaces.Where(w => w.Id == workspaceId)
                    .ExecuteUpdateAsync(s => s.SetProperty(w => w.UnreadMessages, w => w.UnreadMessages + 1), ct);
            });
        }

        Assert.Equal(2, attempts);
        Assert.Equal(0, busy.Remaining);
        await using var read = database.CreateForTenant(tenantId);
        var stored = await read.Workspaces.SingleAsync(w => w.Id == workspaceId);
        Assert.Equal("Toko Baru", stored.Name);
        Assert.Equal(1, stored.UnreadMessages);
        Assert.Equal(["VIP"], await read.Labels.Select(l => l.Name).ToListAsync());
    }

    [Fact]
    public async Task InTransaction_GivesUpAfterItsRetries_AndStoresNothing()
    {
        var busy = new BusyCommits();
        await using var database = await SqliteTestDatabase.CreateAsync([busy]);
        var (tenantId, workspaceId) = await SeedAsync(database);

        busy.Remaining = int.MaxValue;
        await using (var db = database.CreateForTenant(tenantId))
        {
            await Assert.ThrowsAsync<RetryLimitExceededException>(() => db.InTransactionAsync(async ct =>
            {
                db.Labels.Add(new Label { TenantId = tenantId, WorkspaceId = workspaceId, Name = "VIP" });
                await db.SaveChangesAsync(ct);
            }));
        }

        busy.Remaining = 0;
        await using var read = database.CreateForTenant(tenantId);
        Assert.Empty(await read.Labels.ToListAsync());
    }

    [Fact]
    public async Task MarkRead_AfterABusyCommit_MovesTheCountersOnce()
    {
        var busy = new BusyCommits();
        await using var h = await InboxHarness.CreateAsync([busy]);
        var first = await h.AddChatAsync(h.Shop, "Budi", "+6281200000001", InboxHarness.Start);
        var second = await h.AddChatAsync(h.Shop, "Sari", "+6281200000002", InboxHarness.Start);
        await h.ReceiveAsync(first, "halo");
        await h.ReceiveAsync(first, "ada stok?");
        await h.ReceiveAsync(second, "permisi");

        busy.Remaining = 1;
        Assert.True(await h.Inbox(h.TenantA).MarkReadAsync(h.Owner, first.Id));

        Assert.Equal(0, busy.Remaining);
        await using var db = h.Database.CreateForTenant(h.TenantA);
        var shop = await db.Workspaces.SingleAsync(w => w.Id == h.Shop.Id);
        Assert.Equal((1, 1), (shop.UnreadChats, shop.UnreadMessages));
        Assert.Equal(0, await db.Chats.Where(c => c.Id == first.Id).Select(c => c.UnreadCount).SingleAsync());
    }

    [Fact]
    public void NoCode_OpensATransactionOutsideTheHelper()
    {
        // The helper itself, and the test above that shows a hand-opened transaction is refused.
        string[] allowed = ["KelolaPesan.Data/KelolaDbContext.cs", "KelolaPesan.Tests/Data/TransactionTests.cs",
            // The warm-up's transaction, rolled back by design, never committed (NodeWarmUp).
            "KelolaPesan.Data/RolledBackScope.cs",
            // Seeds benchmark data over a raw SqliteConnection (no EF, no execution strategy), not an app write path.
            "bench/KelolaPesan.Bench/Scenarios/SeedScaleScenario.cs"];

        var stray = SourceFiles.Matching(new Regex(@"\bBeginTransaction(Async)?\s*\(")).Except(allowed).ToList();

        Assert.True(stray.Count == 0, "open transactions with IKelolaDb.InTransactionAsync: " + string.Join(", ", stray));
    }

    [Fact]
    public void IgnoreQueryFilters_AlwaysNamesTheFilterItLifts()
    {
        // An unnamed call lifts tenant separation too (docs/adr/0001).
        var unnamed = SourceFiles.Matching(new Regex(@"\.IgnoreQueryFilters\s*\(\s*\)")).ToList();

        Assert.True(unnamed.Count == 0, "name the filter, e.g. IgnoreQueryFilters([QueryFilters.SoftDelete]): " + string.Join(", ", unnamed));
    }

    [Fact]
    public void CoresDatabasePort_ExposesNoDatabaseFacade()
    {
        var members = typeof(IKelolaDb).GetProperties().Select(p => p.PropertyType)
            .Concat(typeof(IKelolaDb).GetMethods().SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)));
        Assert.DoesNotContain(typeof(DatabaseFacade), members);

        // Nor does Core reach it another way (a cast to DbContext): provider SQL lives in Data behind a port.
        var reaching = SourceFiles.Matching(new Regex(@"\.Database\.|DatabaseFacade|\(DbContext\)")).Where(f => f.StartsWith("KelolaPesan.Core/", StringComparison.Ordinal)).ToList();
        Assert.True(reaching.Count == 0, string.Join(", ", reaching));
    }

    private static async Task<(Guid TenantId, Guid WorkspaceId)> SeedAsync(SqliteTestDatabase database)
    {
        var workspace = await database.SeedAsync(db => Seed.Tenant(db, "Toko").Workspace("Toko"));
        return (workspace.TenantId, workspace.Id);
    }

    /// <summary>Fails the next <see cref="Remaining"/> commits the way SQLite does when another writer holds the lock.</summary>
    private sealed class BusyCommits : DbTransactionInterceptor
    {
        private int _remaining;

        public int Remaining
        {
            get => Volatile.Read(ref _remaining);
            set => Volatile.Write(ref _remaining, value);
        }

        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Decrement(ref _remaining) >= 0)
                throw new SqliteException("database is locked", 5);
            Interlocked.Exchange(ref _remaining, 0);
            return ValueTask.FromResult(result);
        }
    }
}

/// <summary>The repository's own source files (C# and Razor), by path relative to its root; generated migrations left out.</summary>
internal static class SourceFiles
{
    public static string Root { get; } = FindRoot();

    public static IEnumerable<string> Matching(Regex pattern) =>
        Directory.EnumerateFiles(Root, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is "bin" or "obj" or "Migrations" or "node_modules" or ".git"))
            .Where(f => pattern.IsMatch(File.ReadAllText(Path.Combine(Root, f))));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KelolaPesan.sln")))
                return dir.FullName;
        throw new InvalidOperationException("KelolaPesan.sln not found above " + AppContext.BaseDirectory);
    }
}
