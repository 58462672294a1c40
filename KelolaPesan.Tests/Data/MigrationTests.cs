using KelolaPesan.Core.Inbox;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Time.Testing;

namespace KelolaPesan.Tests.Data;

public sealed class MigrationTests
{
    // Never opened: generating SQL and comparing the model with the snapshot need no server.
    private const string UnusedSqlServer = "Server=127.0.0.1,1;Database=KelolaPesanUnused;User Id=unused;Password=unused;TrustServerCertificate=True";

    [Fact]
    public void TheSqliteMigrations_MatchTheCurrentModel()
    {
        using var db = SqliteModelOnly();

        Assert.False(db.Database.HasPendingModelChanges(), "run `dotnet ef migrations add` for SqliteKelolaDbContext");
    }

    [Fact]
    public void TheSqlServerMigrations_MatchTheCurrentModel()
    {
        using var db = SqlServerModelOnly();

        Assert.False(db.Database.HasPendingModelChanges(), "run `dotnet ef migrations add` for SqlServerKelolaDbContext");
    }

    [Fact]
    public void ThePostgresMigrations_MatchTheCurrentModel()
    {
        using var db = PostgresModelOnly();

        Assert.False(db.Database.HasPendingModelChanges(), "run `dotnet ef migrations add` for PostgresKelolaDbContext");
    }

    [Fact]
    public void ThePostgresScript_CreatesEveryTable_WithTheTrigramIndexes_AndNoOtherProvidersSql()
    {
        using var db = PostgresModelOnly();

        var script = db.GetService<IMigrator>().GenerateScript();

        foreach (var table in db.Model.GetEntityTypes().Select(t => t.GetTableName()).Distinct())
            Assert.Contains($"CREATE TABLE \"{table}\"", script);
        Assert.Contains("CREATE EXTENSION IF NOT EXISTS pg_trgm", script);
        Assert.Contains($"CREATE INDEX \"{PostgresKelolaDbContext.MessageBodyTrigramIndex}\" ON \"Messages\" USING gin (\"Body\" gin_trgm_ops)", script);
        Assert.Contains($"CREATE INDEX \"{PostgresKelolaDbContext.ChatNameTrigramIndex}\" ON \"Chats\" USING gin (\"DisplayName\" gin_trgm_ops)", script);
        Assert.Contains("timestamp with time zone", script);
        Assert.DoesNotContain("fts5", script, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("PRAGMA", script);
        Assert.DoesNotContain("nvarchar", script);
    }

    [Fact]
    public void TheSqlServerScript_CreatesEveryTable_InTransactSql_WithoutSqliteIsms()
    {
        using var db = SqlServerModelOnly();

        var script = db.GetService<IMigrator>().GenerateScript();

        Assert.Contains("CREATE TABLE [Messages]", script);
        foreach (var table in db.Model.GetEntityTypes().Select(t => t.GetTableName()).Distinct())
            Assert.Contains($"CREATE TABLE [{table}]", script);
        Assert.Contains("datetimeoffset", script);
        Assert.DoesNotContain("AUTOINCREMENT", script);
        Assert.DoesNotContain("PRAGMA", script);
        Assert.DoesNotContain("ef_temp_", script);
        Assert.DoesNotContain(" TEXT NOT NULL", script);
        Assert.DoesNotContain(" INTEGER NOT NULL", script);
        // Chat search on SQL Server is LIKE (docs/adr/0006-inbox-search.md): the SQLite FTS5 index must not leak in.
        Assert.DoesNotContain("fts5", script, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("CREATE TRIGGER", script);
    }

    [Fact]
    public async Task TheSqliteSearchTriggers_SurviveEveryMigration()
    {
        // Rebuilding Chats or Messages in a later migration (EF's ef_temp_ copy) silently drops their triggers,
        // and search would then miss new messages and keep deleted ones: recreate them in that migration.
        await using var database = await SqliteTestDatabase.CreateAsync();
        await using var db = database.CreateSystem();

        var triggers = await db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE type = 'trigger' ORDER BY name").ToListAsync();

        Assert.Equal(["Chats_Search_Delete", "Chats_Search_Insert", "Chats_Search_Update",
            "Messages_Search_Delete", "Messages_Search_Insert", "Messages_Search_Update"], triggers);
    }

    [Fact]
    public async Task AFreshSqliteFile_MigratesToTheLatestMigration_InWalMode()
    {
        await using var database = await SqliteTestDatabase.CreateAsync();
        await using var db = database.CreateSystem();

        Assert.True(File.Exists(database.FilePath));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Equal(0, await db.Messages.CountAsync());
        var journalMode = await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS Value FROM pragma_journal_mode").SingleAsync();
        Assert.Equal("wal", journalMode);
    }

    [Theory, Providers]
    public async Task MessagesOrderBySentAt_ByTheUtcInstant_WhateverTheirOffsets(DatabaseProvider provider)
    {
        var jakarta = TimeSpan.FromHours(7);
        var india = new TimeSpan(5, 30, 0);
        var newYork = TimeSpan.FromHours(-5);
        // Chosen so that ordering by the local clock time or by the offset text would give a different order.
        DateTimeOffset[] byInstant =
        [
            new(2026, 6, 5, 9, 0, 0, jakarta),             // 02:00Z
            new(2026, 6, 5, 2, 30, 0, TimeSpan.Zero),       // 02:30Z
            new(2026, 6, 5, 8, 30, 0, india),              // 03:00Z
            new(2026, 6, 4, 23, 0, 0, newYork),            // 04:00Z exactly
            // 04:00Z and the smallest step the provider keeps (SQLite: 100 ns ticks; PostgreSQL: 1 µs): no precision lost.
            new DateTimeOffset(2026, 6, 5, 4, 0, 0, TimeSpan.Zero).AddTicks(provider == DatabaseProvider.Postgres ? 10 : 1),
            new(2026, 6, 5, 11, 59, 0, jakarta),           // 04:59Z
            new(2026, 6, 5, 5, 0, 0, TimeSpan.Zero),        // 05:00Z
        ];
        var shuffled = byInstant.Select((sentAt, index) => (sentAt, index)).OrderBy(_ => Random.Shared.Next()).ToList();

        await using var database = await TestDatabase.CreateAsync(provider, new FakeTimeProvider());
        var (tenantId, workspaceId, chatId) = await SeedChatAsync(database);
        await using (var db = database.CreateForTenant(tenantId))
        {
            foreach (var (sentAt, index) in shuffled)
                db.Messages.Add(new Message { TenantId = tenantId, WorkspaceId = workspaceId, ChatId = chatId, Body = $"#{index}", SentAt = sentAt, ExternalMessageId = $"m{index}" });
            await db.SaveChangesAsync();
        }

        await using var read = database.CreateForTenant(tenantId);
        var ordered = await read.Messages.OrderBy(m => m.SentAt).Select(m => m.Body).ToListAsync();
        var after = await read.Messages.Where(m => m.SentAt > byInstant[2]).OrderByDescending(m => m.SentAt).Select(m => m.Body).ToListAsync();
        var stored = await read.Messages.SingleAsync(m => m.Body == "#0");

        Assert.Equal(byInstant.Select((_, index) => $"#{index}"), ordered);
        Assert.Equal(["#6", "#5", "#4", "#3"], after);
        // The instant is kept (a +07:00 value too: Npgsql refuses non-UTC offsets, the Postgres model stores it in UTC)
        // and handed back in UTC.
        Assert.Equal(byInstant[0].UtcTicks, stored.SentAt.UtcTicks);
        Assert.Equal(TimeSpan.Zero, stored.SentAt.Offset);
    }

    private static async Task<(Guid TenantId, Guid WorkspaceId, Guid ChatId)> SeedChatAsync(TestDatabase database)
    {
        var licence = new Core.Tenancy.Licence { Name = "licence", CodePrefix = "KPSORT", CodeHash = new byte[32] };
        var tenant = new Core.Tenancy.Tenant { Name = "Toko Sort", LicenceId = licence.Id };
        var workspace = new Core.Workspaces.Workspace { TenantId = tenant.Id, Name = "Toko" };
        var chat = new Chat { TenantId = tenant.Id, WorkspaceId = workspace.Id, ExternalChatId = "6281200000001@c.us", DisplayName = "Budi" };
        await using var db = database.CreateSystem();
        db.AddRange(licence, tenant, workspace, chat);
        await db.SaveChangesAsync();
        return (tenant.Id, workspace.Id, chat.Id);
    }

    private static SqliteKelolaDbContext SqliteModelOnly() => new(
        new DbContextOptionsBuilder<SqliteKelolaDbContext>().UseSqlite("Data Source=model-only.db").Options, SystemTenant.Instance);

    private static PostgresKelolaDbContext PostgresModelOnly() => new(
        new DbContextOptionsBuilder<PostgresKelolaDbContext>().UseNpgsql("Host=127.0.0.1;Port=1;Database=unused;Username=unused").Options, SystemTenant.Instance);

    private static SqlServerKelolaDbContext SqlServerModelOnly() => new(
        new DbContextOptionsBuilder<SqlServerKelolaDbContext>().UseSqlServer(UnusedSqlServer).Options, SystemTenant.Instance);
}
