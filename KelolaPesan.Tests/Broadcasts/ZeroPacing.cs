using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>
/// Zero pacing and an all-day window for one tier, allowed only because the policy says so (the engine clamps every
/// broadcast to its policy); the returned action puts the tier's previous policy back.
/// </summary>
public static class ZeroPacing
{
    public static async Task<Func<Task>> AllowAsync(Func<IKelolaDb> open, PolicyTier tier)
    {
        await using var db = open();
        var existing = await db.Policies.AsNoTracking().FirstOrDefaultAsync(p => p.Tier == tier);
        await db.Policies.Where(p => p.Tier == tier).ExecuteDeleteAsync();
        db.Policies.Add(new PolicySettings
        {
            Tier = tier, MinDelaySeconds = 0, MaxDelaySeconds = 0, BatchSize = 1000, BatchRestSeconds = 0, DailyCapPerWorkspace = 100_000,
            SendWindowStart = new TimeOnly(0, 0), SendWindowEnd = new TimeOnly(0, 0),
        });
        await db.SaveChangesAsync();
        return async () =>
        {
            await using var restore = open();
            await restore.Policies.Where(p => p.Tier == tier).ExecuteDeleteAsync();
            if (existing is not null)
            {
                existing.Id = Guid.CreateVersion7();
                restore.Policies.Add(existing);
                await restore.SaveChangesAsync();
            }
        };
    }
}
