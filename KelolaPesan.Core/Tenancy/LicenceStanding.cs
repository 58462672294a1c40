using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace KelolaPesan.Core.Tenancy;

/// <summary>
/// Whether a tenant's licence lets it act now (active and not expired), for the work no signed-in person starts: paced
/// broadcasts and sequence steps, bot replies, Instagram comment replies. People, pages and API keys are stopped by
/// <see cref="AccessValidator"/> and the key check; without this, a suspended or expired tenant's queues kept sending.
/// An answer is kept per tenant for <see cref="AccessOptions.RevalidateEvery"/> either way (a usable one never past the
/// licence's expiry); a change made through <see cref="LicenceService"/> drops it on every node at once.
/// </summary>
public sealed class LicenceStanding(IKelolaDbFactory dbFactory, LicenceStandingCache cache, IOptions<AccessOptions> options, TimeProvider clock)
{
    public async Task<bool> IsUsableAsync(Guid tenantId, CancellationToken ct = default)
    {
        if (cache.Answers.TryGetValue(tenantId, out Answer? known) && known!.Until > clock.GetUtcNow())
            return known.Usable;
        await using var db = dbFactory.CreateSystem();
        var licence = await (from t in db.Tenants join l in db.Licences on t.LicenceId equals l.Id where t.Id == tenantId select new { l.Status, l.ExpiresAt })
            .AsNoTracking().FirstOrDefaultAsync(ct);
        var now = clock.GetUtcNow();
        var usable = licence is not null && new Licence { Status = licence.Status, ExpiresAt = licence.ExpiresAt }.IsUsableAt(now);
        var keep = options.Value.RevalidateEvery;
        if (usable && licence!.ExpiresAt is { } expires && expires - now < keep)
            keep = expires - now;
        cache.Answers.Set(tenantId, new Answer(usable, now + keep), new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = keep, Size = 1 });
        return usable;
    }

    internal sealed record Answer(bool Usable, DateTimeOffset Until);
}

/// <summary>
/// The answers of <see cref="LicenceStanding"/>, shared by every sender of this node (singleton). A change of a licence
/// drops its tenant's answer here and, through the bus, on every node (<see cref="LicenceStandingChanged"/>).
/// </summary>
public sealed class LicenceStandingCache : IDisposable
{
    /// <summary>One entry per tenant that sends; past the limit a check simply asks the database.</summary>
    public const int SizeLimit = 20_000;

    private readonly IRealtimeBus? _bus;
    private readonly IDisposable? _subscription;

    public LicenceStandingCache(IRealtimeBus? bus = null)
    {
        _bus = bus;
        _subscription = bus?.Subscribe(Topics.Platform, evt =>
        {
            if (evt is LicenceStandingChanged changed)
                Answers.Remove(changed.TenantId);
            return Task.CompletedTask;
        });
    }

    /// <summary>Each answer carries its end on the app's clock; the cache's own expiry (the machine's clock) only evicts.</summary>
    internal MemoryCache Answers { get; } = new(new MemoryCacheOptions { SizeLimit = SizeLimit });

    /// <summary>Drops the tenant's answer here at once and on the other nodes through the bus (which never throws).</summary>
    public void Forget(Guid tenantId)
    {
        Answers.Remove(tenantId);
        _bus?.PublishAsync(Topics.Platform, new LicenceStandingChanged(tenantId));
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        Answers.Dispose();
    }
}
