using KelolaPesan.Tests.Infrastructure;

namespace KelolaPesan.Tests.Nodes;

/// <summary>
/// A test that runs two app processes over the PostgreSQL server and a redis-server (scripts/test.sh provides both):
/// skipped, with the reason, when either is missing.
/// </summary>
public sealed class TwoNodeFactAttribute : FactAttribute
{
    public TwoNodeFactAttribute()
    {
        if (!PostgresTestServer.IsAvailable)
            Skip = PostgresTestServer.SkipReason;
        else if (!RedisServer.IsAvailable)
            Skip = RedisServer.SkipReason;
    }
}
