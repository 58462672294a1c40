using KelolaPesan.Data;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Infrastructure;

/// <summary>
/// The one line a run without PostgreSQL shows (skipped, with the reason); with the server, a check that the provider
/// suites really run on it: each test database is a migrated copy with the trigram extension.
/// </summary>
public sealed class PostgresServerTests
{
    [PostgresFact]
    public async Task TheProviderSuites_RunOnTheTestServer_EachOnAMigratedDatabaseOfItsOwn()
    {
        await using var first = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var second = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var db = first.CreateSystem();

        Assert.Contains(DatabaseProvider.Postgres, ProvidersAttribute.Available);
        Assert.NotEqual(((PostgresTestDatabase)first).Name, ((PostgresTestDatabase)second).Name);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(1, await db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM pg_extension WHERE extname = 'pg_trgm'").SingleAsync());
    }
}
