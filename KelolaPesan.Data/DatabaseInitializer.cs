using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Data;

/// <summary>Creates the data folder and brings the database to the latest migration at start-up.</summary>
public sealed class DatabaseInitializer(DatabaseSettings settings, KelolaDbContextActivator activator, ILogger<DatabaseInitializer> logger)
{
    /// <summary>The advisory lock (PostgreSQL) / application lock (SQL Server) the start-up steps run under.</summary>
    public const long StartUpLockKey = 0x4B_656C_6F6C_6150; // "KelolaP"
    public const string StartUpLockName = "KelolaPesan.StartUp";

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(settings.DataDirectory);
        await using var db = activator.Create(SystemTenant.Instance);
        await db.Database.MigrateAsync(cancellationToken);
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers (circuits) proceed while a webhook or job writes; the setting persists in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        logger.LogInformation("Database ready ({Provider})", settings.Provider);
    }

    /// <summary>
    /// Holds a database-wide lock until disposed, so nodes starting together run their start-up steps (migrations,
    /// platform defaults, the demo seed) one after the other: the second finds the first's work done. EF Core's own
    /// migration lock covers only Migrate; the check-then-insert steps after it need this one. SQLite is one node by
    /// rule (the configuration check refuses several nodes on it): no lock.
    /// </summary>
    public async Task<IAsyncDisposable> LockStartUpAsync(CancellationToken cancellationToken = default)
    {
        if (settings.Provider == DatabaseProvider.Sqlite)
            return NoLock.Instance;
        var db = activator.Create(SystemTenant.Instance);
        try
        {
            await EnsureDatabaseExistsAsync(db, cancellationToken);
            // Waiting for the other node's migrations may take longer than a command's default 30 s.
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
            await db.Database.OpenConnectionAsync(cancellationToken);
            var waited = System.Diagnostics.Stopwatch.StartNew();
            await db.Database.ExecuteSqlRawAsync(settings.Provider == DatabaseProvider.Postgres
                ? $"SELECT pg_advisory_lock({StartUpLockKey})"
                : $"EXEC sp_getapplock @Resource = '{StartUpLockName}', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = -1", cancellationToken);
            if (waited.Elapsed > TimeSpan.FromSeconds(1))
                logger.LogInformation("Waited {Seconds:0.0} s for another node's start-up steps", waited.Elapsed.TotalSeconds);
            return new HeldLock(db, settings.Provider);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The lock lives in the database, so the database must exist first. Two nodes may both find it missing: the one
    /// whose CREATE DATABASE is refused finds it there.
    /// </summary>
    private static async Task EnsureDatabaseExistsAsync(KelolaDbContext db, CancellationToken cancellationToken)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(cancellationToken))
            return;
        try
        {
            await creator.CreateAsync(cancellationToken);
        }
        catch (System.Data.Common.DbException)
        {
            // Created by the other node meanwhile, or a real failure.
            if (!await creator.ExistsAsync(cancellationToken))
                throw;
        }
    }

    private sealed class HeldLock(KelolaDbContext db, DatabaseProvider provider) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await db.Database.ExecuteSqlRawAsync(provider == DatabaseProvider.Postgres
                    ? $"SELECT pg_advisory_unlock({StartUpLockKey})"
                    : $"EXEC sp_releaseapplock @Resource = '{StartUpLockName}', @LockOwner = 'Session'");
            }
            catch when (db.Database.GetDbConnection() is Npgsql.NpgsqlConnection connection)
            {
                // The pool keeps sessions as they are (No Reset On Close, docs/adr/0026): a session whose unlock failed
                // must not go back to it holding the lock. Clearing the pool closes it for real when it is returned.
                Npgsql.NpgsqlConnection.ClearPool(connection);
                throw;
            }
            finally
            {
                // Closing ends the session (and its lock) on SQL Server, and on PostgreSQL after the clear above.
                await db.Database.CloseConnectionAsync();
                await db.DisposeAsync();
            }
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
