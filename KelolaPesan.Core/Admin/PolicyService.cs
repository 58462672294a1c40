using FluentValidation;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Admin;

/// <summary>
/// The workspace policies: the default row and per-tier overrides (admin), and the effective policy of a tenant
/// (its licence tier's override, else the default) that broadcasts, bots, imports and uploads read.
/// </summary>
public sealed class PolicyService(IKelolaDbFactory dbFactory, AuditLog audit)
{
    private static readonly PolicySettingsValidator Validator = new();

    /// <summary>The default row first, then the overrides by tier.</summary>
    public async Task<IReadOnlyList<PolicySettings>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        var rows = await db.Policies.AsNoTracking().ToListAsync(cancellationToken);
        return rows.OrderBy(p => p.Tier is null ? -1 : (int)p.Tier).ToList();
    }

    public async Task<PolicySettings> GetEffectiveAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        // One statement: the default row, and the row of the tenant's licence tier when there is one (it wins).
        var rows = await db.Policies.AsNoTracking()
            .Where(p => p.Tier == null || p.Tier == (from t in db.Tenants join l in db.Licences on t.LicenceId equals l.Id where t.Id == tenantId select (PolicyTier?)l.Tier).FirstOrDefault())
            .ToListAsync(cancellationToken);
        return rows.FirstOrDefault(p => p.Tier != null) ?? rows.FirstOrDefault() ?? new PolicySettings();
    }

    /// <summary>Whether a tenant may use a feature: its licence has the switch on and its tier's policy allows it.</summary>
    public async Task<bool> IsFeatureEnabledAsync(Guid tenantId, LicenceFeatures feature, CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        var licence = await (from t in db.Tenants join l in db.Licences on t.LicenceId equals l.Id where t.Id == tenantId select new { l.Tier, l.Features })
            .FirstOrDefaultAsync(cancellationToken);
        return licence is not null && licence.Features.HasFlag(feature)
               && (await ForTierAsync(db, licence.Tier, cancellationToken)).AllowedFeatures.HasFlag(feature);
    }

    public async Task<PolicySettings> GetForTierAsync(PolicyTier tier, CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        return await ForTierAsync(db, tier, cancellationToken);
    }

    /// <summary>Saves the default row or an override (a new override when no row exists for its tier).</summary>
    public async Task SaveAsync(PolicySettings policy, AuditActor actor, CancellationToken cancellationToken = default)
    {
        Validator.ValidateAndThrow(policy);
        await using var db = dbFactory.CreateSystem();
        var existing = await db.Policies.FirstOrDefaultAsync(p => p.Tier == policy.Tier, cancellationToken);
        if (existing is null)
        {
            existing = new PolicySettings { Tier = policy.Tier };
            db.Policies.Add(existing);
        }
        Copy(policy, existing);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(AuditActions.PolicyChanged, actor, targetType: nameof(PolicySettings), targetId: existing.Id.ToString(),
            details: $"{policy.Tier?.ToString() ?? "default"}: cap {policy.DailyCapPerWorkspace}, delay {policy.MinDelaySeconds}-{policy.MaxDelaySeconds}s, " +
                     $"batch {policy.BatchSize}/{policy.BatchRestSeconds}s, window {policy.SendWindowStart:HH\\:mm}-{policy.SendWindowEnd:HH\\:mm}",
            cancellationToken: cancellationToken);
    }

    /// <summary>Removes a tier's override; the tier falls back to the default. The default row itself cannot be removed.</summary>
    public async Task<bool> RemoveOverrideAsync(PolicyTier tier, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        var removed = await db.Policies.Where(p => p.Tier == tier).ExecuteDeleteAsync(cancellationToken) > 0;
        if (removed)
            await audit.WriteAsync(AuditActions.PolicyChanged, actor, targetType: nameof(PolicySettings), details: $"{tier}: override removed", cancellationToken: cancellationToken);
        return removed;
    }

    /// <summary>
    /// The pacing a broadcast will really use: a tenant may ask to be stricter than its policy (longer delays,
    /// smaller batches, longer rests, a lower cap), never looser.
    /// </summary>
    public static BroadcastPacing ClampPacing(BroadcastPacing requested, PolicySettings policy)
    {
        var minDelay = Math.Max(requested.MinDelaySeconds, policy.MinDelaySeconds);
        var maxDelay = Math.Max(Math.Max(requested.MaxDelaySeconds, policy.MaxDelaySeconds), minDelay);
        var batchSize = Math.Clamp(requested.BatchSize, 1, policy.BatchSize);
        var batchRest = Math.Max(requested.BatchRestSeconds, policy.BatchRestSeconds);
        var dailyCap = Math.Clamp(requested.DailyCap, 1, policy.DailyCapPerWorkspace);
        return new BroadcastPacing(minDelay, maxDelay, batchSize, batchRest, dailyCap);
    }

    /// <summary>True when <paramref name="time"/> lies in the sending window; a start after the end spans midnight.</summary>
    public static bool IsInSendWindow(PolicySettings policy, TimeOnly time) =>
        policy.SendWindowStart < policy.SendWindowEnd
            ? time >= policy.SendWindowStart && time < policy.SendWindowEnd
            : time >= policy.SendWindowStart || time < policy.SendWindowEnd;

    private static async Task<PolicySettings> ForTierAsync(IKelolaDb db, PolicyTier? tier, CancellationToken ct)
    {
        var rows = await db.Policies.AsNoTracking().Where(p => p.Tier == null || p.Tier == tier).ToListAsync(ct);
        return rows.FirstOrDefault(p => tier != null && p.Tier == tier)
            ?? rows.FirstOrDefault(p => p.Tier == null)
            ?? new PolicySettings();
    }

    private static void Copy(PolicySettings from, PolicySettings to)
    {
        to.MaxWorkspaces = from.MaxWorkspaces;
        to.DailyCapPerWorkspace = from.DailyCapPerWorkspace;
        to.MinDelaySeconds = from.MinDelaySeconds;
        to.MaxDelaySeconds = from.MaxDelaySeconds;
        to.BatchSize = from.BatchSize;
        to.BatchRestSeconds = from.BatchRestSeconds;
        to.SendWindowStart = from.SendWindowStart;
        to.SendWindowEnd = from.SendWindowEnd;
        to.MaxAttachmentBytes = from.MaxAttachmentBytes;
        to.MaxImportBytes = from.MaxImportBytes;
        to.MaxImportRows = from.MaxImportRows;
        to.AllowedFeatures = from.AllowedFeatures;
        to.AutoRestartFailedSessions = from.AutoRestartFailedSessions;
        to.MaxReconnectsPerDay = from.MaxReconnectsPerDay;
        to.NumberCheckMaxAgeDays = from.NumberCheckMaxAgeDays;
        to.MaxUnknownSessionChecks = from.MaxUnknownSessionChecks;
    }
}

/// <summary>How a broadcast paces its sends: random delay between messages, batches with a rest, and a daily cap per workspace.</summary>
public sealed record BroadcastPacing(int MinDelaySeconds, int MaxDelaySeconds, int BatchSize, int BatchRestSeconds, int DailyCap);
