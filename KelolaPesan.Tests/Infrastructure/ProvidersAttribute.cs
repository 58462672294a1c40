using System.Reflection;
using KelolaPesan.Data;
using Xunit.Sdk;

namespace KelolaPesan.Tests.Infrastructure;

/// <summary>
/// Runs a theory once per database provider it can reach: SQLite always, PostgreSQL when <c>KELOLA_TEST_POSTGRES</c> is
/// set (scripts/test.sh sets it). The theory takes the <see cref="DatabaseProvider"/> as its first parameter and makes
/// its database with <see cref="TestDatabase.CreateAsync"/> (or a harness that does). Without a server the
/// PostgreSQL rows are left out, and <c>PostgresServerTests</c> is skipped with the reason, once.
/// </summary>
/// <example><c>[Theory, Providers] public async Task Search_Finds(DatabaseProvider provider)</c></example>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProvidersAttribute : DataAttribute
{
    public static IEnumerable<DatabaseProvider> Available =>
        PostgresTestServer.IsAvailable ? [DatabaseProvider.Sqlite, DatabaseProvider.Postgres] : [DatabaseProvider.Sqlite];

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => Available.Select(p => new object[] { p });
}

/// <summary>A test that needs the PostgreSQL server (concurrency that only a server database really interleaves).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!PostgresTestServer.IsAvailable)
            Skip = PostgresTestServer.SkipReason;
    }
}
