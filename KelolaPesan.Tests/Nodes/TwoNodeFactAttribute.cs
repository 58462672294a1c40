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

    /// <summary>The test also runs deploy/nginx.conf in Debian's nginx.</summary>
    public bool NeedsNginx
    {
        get => field;
        set
        {
            field = value;
            if (value && Skip is null && !File.Exists(DeployFilesTests.Nginx))
                Skip = $"{DeployFilesTests.Nginx} is missing (bash scripts/test.sh installs the nginx package).";
        }
    }
}
