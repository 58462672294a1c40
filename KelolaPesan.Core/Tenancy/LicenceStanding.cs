using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace KelolaPesan.Core.Tenancy;

/// <summary>
/// Whether a tenant's licence lets it act now (active and not expired), for the work no signed-in person starts: paced
/// broadcasts and sequence steps, bot replies, Instagram comment replies. People, pages and API keys are stopped by
/// <see cref="AccessValidator"/> and the key check; without this, a suspended or expired tenant's queues kept sending.
/// An answer is kept per tenant for <see cref="AccessOptions.RevalidateEvery"/> either way (a usable one never past the
/// licence's expiry), so a suspension or a reactivation reaches every sender within it, as it reaches open pages.
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

/// <summary>The answers of <see cref="LicenceStanding"/>, shared by every sender of this node (singleton).</summary>
public sealed class LicenceStandingCache : IDisposable
{
    /// <summary>One entry per tenant that sends; past the limit a check simply asks the database.</summary>
    public const int SizeLimit = 20_000;

    /// <summary>Each answer carries its end on the app's clock; the cache's own expiry (the machine's clock) only evicts.</summary>
    internal MemoryCache Answers { get; } = new(new MemoryCacheOptions { SizeLimit = SizeLimit });

    public void Dispose() => Answers.Dispose();
}
