using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Data;

/// <summary>Creates the data folder and brings the database to the latest migration at start-up.</summary>
public sealed class DatabaseInitializer(DatabaseSettings settings, KelolaDbContextActivator activator, ILogger<DatabaseInitializer> logger)
{
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
}
