using FluentValidation;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Tenancy;

/// <summary>
/// The current tenant's own settings. Everyone who may open the page reads them; only the owner changes them,
/// checked here so no other caller (API, another page) can skip it.
/// </summary>
public sealed class TenantSettingsService(IKelolaDbFactory dbFactory, ITenantContext tenantContext, LicenceQuota quota, AuditLog audit)
{
    private static readonly TenantSettingsValidator Validator = new();

    public async Task<TenantSettingsView?> GetAsync(CancellationToken ct = default)
    {
        if (tenantContext.TenantId is not { } tenantId)
            return null;
        await using var db = await dbFactory.CreateAsync(ct);
        var tenant = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId)
            .Select(t => new { t.Name, t.TimeZone, t.PhoneRegion, t.LicenceId }).FirstOrDefaultAsync(ct);
        if (tenant is null)
            return null;
        var (used, max) = await quota.WorkspaceQuotaAsync(tenantId, ct);

        // Licences are platform rows a tenant context cannot read; a system context reads only this tenant's own licence.
        await using var system = dbFactory.CreateSystem();
        var licence = await system.Licences.AsNoTracking().Where(l => l.Id == tenant.LicenceId)
            .Select(l => new { l.Name, l.ExpiresAt }).FirstOrDefaultAsync(ct);
        return new TenantSettingsView(tenant.Name, tenant.TimeZone, tenant.PhoneRegion, licence?.Name ?? "", licence?.ExpiresAt, max, used);
    }

    /// <summary>Validates and stores the settings; refuses anyone but the tenant's owner.</summary>
    public async Task<TenantSettingsView> UpdateAsync(TenantSettingsInput input, UserRole? role, AuditActor actor, CancellationToken ct = default)
    {
        if (role != UserRole.Owner)
            throw new UnauthorizedAccessException("Only the owner changes the business settings.");
        input.Name = NulText.Name(input.Name) ?? "";
        input.TimeZone = input.TimeZone.Trim();
        input.PhoneRegion = input.PhoneRegion.Trim().ToUpperInvariant();
        await Validator.ValidateAndThrowAsync(input, ct);

        // The scope's tenant only: there is no tenant id parameter a caller could point at someone else.
        var tenantId = tenantContext.TenantId ?? throw new UnauthorizedAccessException("No tenant is signed in.");
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Id == tenantId, ct)
                         ?? throw new KeyNotFoundException("Tenant not found.");
            var details = AuditChanges.Of((nameof(Tenant.Name), tenant.Name, input.Name), (nameof(Tenant.TimeZone), tenant.TimeZone, input.TimeZone),
                (nameof(Tenant.PhoneRegion), tenant.PhoneRegion, input.PhoneRegion));
            tenant.Name = input.Name;
            tenant.TimeZone = input.TimeZone;
            tenant.PhoneRegion = input.PhoneRegion;
            await db.SaveChangesAsync(ct);
            await audit.WriteAsync(TenancyAuditActions.SettingsChanged, actor, tenant.Id, nameof(Tenant), tenant.Id.ToString(), details, ct);
        }
        return (await GetAsync(ct))!;
    }

    /// <summary>Whether a reply assigns an unassigned chat to whoever wrote it; null without a tenant.</summary>
    public async Task<bool?> GetAssignOnReplyAsync(CancellationToken ct = default)
    {
        if (tenantContext.TenantId is not { } tenantId)
            return null;
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => (bool?)t.AssignOnReply).FirstOrDefaultAsync(ct);
    }

    /// <summary>Turns assign-on-reply on or off for the whole tenant; the owner only, like the other business settings.</summary>
    public async Task SetAssignOnReplyAsync(bool enabled, UserRole? role, AuditActor actor, CancellationToken ct = default)
    {
        if (role != UserRole.Owner)
            throw new UnauthorizedAccessException("Only the owner changes the business settings.");
        var tenantId = tenantContext.TenantId ?? throw new UnauthorizedAccessException("No tenant is signed in.");
        await using var db = await dbFactory.CreateAsync(ct);
        if (await db.Tenants.Where(t => t.Id == tenantId).ExecuteUpdateAsync(s => s.SetProperty(t => t.AssignOnReply, enabled), ct) == 0)
            throw new KeyNotFoundException("Tenant not found.");
        await audit.WriteAsync(TenancyAuditActions.SettingsChanged, actor, tenantId, nameof(Tenant), tenantId.ToString(),
            AuditChanges.Of((nameof(Tenant.AssignOnReply), !enabled, enabled)), ct);
    }
}

public static class TenancyAuditActions
{
    public const string SettingsChanged = "tenant.settings-changed";
}
