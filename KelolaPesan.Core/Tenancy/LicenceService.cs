using FluentValidation;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Tenancy;

/// <summary>
/// Issues and manages licences. Admins act on every licence; an agency owner acts through the same
/// methods with <c>agencyId</c> set, which limits them to tenant licences that agency issued (any other id is not found).
/// </summary>
public sealed class LicenceService(IKelolaDbFactory dbFactory, AuditLog audit, TimeProvider clock, AccessCache? access = null, LicenceStandingCache? standing = null)
{
    private static readonly IssueLicenceRequestValidator IssueValidator = new();
    private static readonly UpdateLicenceRequestValidator UpdateValidator = new();

    /// <summary>Admin: a tenant licence with its tenant and Owner, or an agency licence with its agency and AgencyOwner.</summary>
    public async Task<IssuedLicence> IssueAsync(IssueLicenceRequest request, AuditActor actor, CancellationToken cancellationToken = default)
    {
        Validate(request);
        await using var db = dbFactory.CreateSystem();
        var issued = Add(db, request, issuedByAgencyId: null);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(AuditActions.LicenceIssued, actor, request.Kind == LicenceKind.Tenant ? issued.HolderId : null,
            nameof(Licence), issued.LicenceId.ToString(), $"{request.Kind} {request.Name.Trim()}", cancellationToken);
        return issued;
    }

    /// <summary>
    /// Agency owner: a tenant out of the agency's quota. Tier, features and expiry come from the agency's licence;
    /// the owner chooses the name, the workspace quota and the first Owner.
    /// </summary>
    public async Task<IssuedLicence> IssueAgencyTenantAsync(Guid agencyId, IssueLicenceRequest request, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        var agencyLicence = await (from a in db.Agencies join l in db.Licences on a.LicenceId equals l.Id where a.Id == agencyId select l)
            .AsNoTracking().FirstOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException("The agency does not exist.");
        request.Kind = LicenceKind.Tenant;
        request.Tier = agencyLicence.Tier;
        request.Features = agencyLicence.Features;
        request.ExpiresAt = agencyLicence.ExpiresAt;
        Validate(request);

        var used = await db.Licences.CountAsync(l => l.IssuedByAgencyId == agencyId, cancellationToken);
        if (used >= agencyLicence.MaxTenants)
            throw new TenantQuotaExceededException(agencyLicence.MaxTenants);

        var issued = Add(db, request, agencyId);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(AuditActions.AgencyTenantCreated, actor, issued.HolderId, nameof(Licence), issued.LicenceId.ToString(),
            $"agency {agencyId}: {request.Name.Trim()}", cancellationToken);
        return issued;
    }

    public async Task<IReadOnlyList<LicenceRow>> ListAsync(Guid? agencyId = null, string? search = null, CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        var platformLicences = db.Tenants.Where(t => t.IsPlatform).Select(t => t.LicenceId);
        var licences = db.Licences.AsNoTracking().Where(l => !platformLicences.Contains(l.Id));
        if (agencyId is { } agency)
            licences = licences.Where(l => l.IssuedByAgencyId == agency);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            licences = licences.Where(l => l.Name.Contains(term) || l.CodePrefix.Contains(term.ToUpper()));
        }

        var rows = await licences
            .Select(l => new
            {
                Licence = l,
                HolderId = l.Kind == LicenceKind.Tenant
                    ? db.Tenants.Where(t => t.LicenceId == l.Id).Select(t => (Guid?)t.Id).FirstOrDefault()
                    : db.Agencies.Where(a => a.LicenceId == l.Id).Select(a => (Guid?)a.Id).FirstOrDefault(),
                IssuedBy = db.Agencies.Where(a => a.Id == l.IssuedByAgencyId).Select(a => a.Name).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);

        var agencyIds = rows.Where(r => r.Licence.Kind == LicenceKind.Agency && r.HolderId != null).Select(r => r.HolderId!.Value).ToList();
        var tenantsUsed = await db.Licences.Where(l => l.IssuedByAgencyId != null && agencyIds.Contains(l.IssuedByAgencyId.Value))
            .GroupBy(l => l.IssuedByAgencyId!.Value).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);

        var now = clock.GetUtcNow();
        return rows
            .Select(r => new LicenceRow(r.Licence.Id, r.Licence.Kind, r.Licence.Name, r.Licence.CodePrefix, r.Licence.Status,
                LicenceStates.Of(r.Licence.Status, r.Licence.ExpiresAt, now), r.Licence.Tier, r.Licence.Features, r.Licence.MaxWorkspaces,
                r.Licence.MaxTenants, r.Licence.ExpiresAt, r.Licence.CreatedAt, r.HolderId, r.IssuedBy,
                r.HolderId is { } h && tenantsUsed.TryGetValue(h, out var used) ? used : 0, r.Licence.MaxUsers))
            .OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase)
            .ToList();
    }

    /// <summary>A new code for the licence; the old one stops working at once. Null when the licence is not found (or not the agency's).</summary>
    public async Task<string?> RegenerateCodeAsync(Guid licenceId, AuditActor actor, Guid? agencyId = null, CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        var licence = await FindAsync(db, licenceId, agencyId, cancellationToken);
        if (licence is null)
            return null;
        var code = LicenceCode.Generate();
        licence.CodePrefix = code.Prefix;
        licence.CodeHash = code.Hash;
        licence.CodeRegeneratedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await WriteAsync(db, AuditActions.LicenceCodeRegenerated, licence, actor, $"new prefix {code.Prefix}", cancellationToken);
        return code.Code;
    }

    public Task<LicenceChange> SuspendAsync(Guid licenceId, AuditActor actor, Guid? agencyId = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(licenceId, agencyId, actor, AuditActions.LicenceSuspended, l => { l.Status = LicenceStatus.Suspended; return null; }, cancellationToken);

    public Task<LicenceChange> ReactivateAsync(Guid licenceId, AuditActor actor, Guid? agencyId = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(licenceId, agencyId, actor, AuditActions.LicenceReactivated, l => { l.Status = LicenceStatus.Active; return null; }, cancellationToken);

    /// <summary>Admin: sets a new expiry (null = never expires). Must lie in the future.</summary>
    public Task<LicenceChange> ExtendAsync(Guid licenceId, DateTimeOffset? expiresAt, AuditActor actor, CancellationToken cancellationToken = default)
    {
        if (expiresAt is { } e && e <= clock.GetUtcNow())
            throw new ValidationException([new FluentValidation.Results.ValidationFailure("ExpiresAt", "The new expiry must be in the future.")]);
        return ChangeAsync(licenceId, null, actor, AuditActions.LicenceExtended, l =>
        {
            var before = l.ExpiresAt;
            l.ExpiresAt = expiresAt;
            return $"{before:yyyy-MM-dd} -> {expiresAt:yyyy-MM-dd}";
        }, cancellationToken);
    }

    /// <summary>Admin: workspace or tenant quota, feature switches and policy tier.</summary>
    public Task<LicenceChange> UpdateAsync(Guid licenceId, UpdateLicenceRequest request, AuditActor actor, CancellationToken cancellationToken = default)
    {
        UpdateValidator.ValidateAndThrow(request);
        return ChangeAsync(licenceId, null, actor, AuditActions.LicenceUpdated, l =>
        {
            l.Tier = request.Tier;
            l.Features = request.Features;
            l.MaxWorkspaces = request.MaxWorkspaces;
            l.MaxTenants = request.MaxTenants;
            l.MaxUsers = l.Kind == LicenceKind.Tenant ? request.MaxUsers : null;
            return $"tier {request.Tier}, features {request.Features}, workspaces {request.MaxWorkspaces}, tenants {request.MaxTenants}, users {request.MaxUsers?.ToString() ?? "unlimited"}";
        }, cancellationToken);
    }

    /// <summary>The agency's quota: tenants it created and how many its licence allows.</summary>
    public async Task<(int Used, int Max)> AgencyQuotaAsync(Guid agencyId, CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        var max = await (from a in db.Agencies join l in db.Licences on a.LicenceId equals l.Id where a.Id == agencyId select l.MaxTenants)
            .FirstOrDefaultAsync(cancellationToken);
        return (await db.Licences.CountAsync(l => l.IssuedByAgencyId == agencyId, cancellationToken), max);
    }

    private async Task<LicenceChange> ChangeAsync(Guid licenceId, Guid? agencyId, AuditActor actor, string action,
        Func<Licence, string?> change, CancellationToken cancellationToken)
    {
        await using var db = dbFactory.CreateSystem();
        var licence = await FindAsync(db, licenceId, agencyId, cancellationToken);
        if (licence is null)
            return LicenceChange.NotFound;
        var details = change(licence);
        await db.SaveChangesAsync(cancellationToken);
        await ForgetKeptAnswersAsync(db, licence.Id, cancellationToken);
        await WriteAsync(db, action, licence, actor, details, cancellationToken);
        return LicenceChange.Done;
    }

    /// <summary>
    /// What every node keeps about the licence's holders goes at once: whether its tenant may send, and whether its
    /// people's sessions may act (open pages ask again). A suspension used to reach them within half a minute.
    /// </summary>
    private async Task ForgetKeptAnswersAsync(IKelolaDb db, Guid licenceId, CancellationToken ct)
    {
        var tenantIds = await db.Tenants.Where(t => t.LicenceId == licenceId).Select(t => t.Id).ToListAsync(ct);
        var agencyIds = await db.Agencies.Where(a => a.LicenceId == licenceId).Select(a => a.Id).ToListAsync(ct);
        foreach (var tenantId in tenantIds)
            standing?.Forget(tenantId);
        var people = await db.Users.Where(u => (u.TenantId != null && tenantIds.Contains(u.TenantId.Value)) || (u.AgencyId != null && agencyIds.Contains(u.AgencyId.Value)))
            .Select(u => u.Id).ToListAsync(ct);
        foreach (var userId in people)
            access?.Forget(userId, isAdmin: false);
    }

    private static Task<Licence?> FindAsync(IKelolaDb db, Guid licenceId, Guid? agencyId, CancellationToken ct) =>
        db.Licences.FirstOrDefaultAsync(l => l.Id == licenceId && (agencyId == null || l.IssuedByAgencyId == agencyId), ct);

    private async Task WriteAsync(IKelolaDb db, string action, Licence licence, AuditActor actor, string? details, CancellationToken ct)
    {
        var tenantId = licence.Kind == LicenceKind.Tenant
            ? await db.Tenants.Where(t => t.LicenceId == licence.Id).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct)
            : null;
        await audit.WriteAsync(action, actor, tenantId, nameof(Licence), licence.Id.ToString(), details, ct);
    }

    private static void Validate(IssueLicenceRequest request)
    {
        request.Name = NulText.Name(request.Name) ?? "";
        request.OwnerUsername = request.OwnerUsername.Trim();
        request.OwnerDisplayName = NulText.Name(request.OwnerDisplayName) ?? "";
        request.OwnerPhone = string.IsNullOrWhiteSpace(request.OwnerPhone) ? null : request.OwnerPhone.Trim();
        IssueValidator.ValidateAndThrow(request);
        request.OwnerPhone = request.OwnerPhone is null ? null : PhoneNormalizer.Normalize(request.OwnerPhone, Tenant.DefaultRegion).E164;
    }

    private static IssuedLicence Add(IKelolaDb db, IssueLicenceRequest request, Guid? issuedByAgencyId)
    {
        var code = LicenceCode.Generate();
        var licence = new Licence
        {
            Kind = request.Kind, Name = request.Name, CodePrefix = code.Prefix, CodeHash = code.Hash, Tier = request.Tier,
            Features = request.Features, MaxWorkspaces = request.Kind == LicenceKind.Tenant ? request.MaxWorkspaces : 0,
            MaxTenants = request.Kind == LicenceKind.Agency ? request.MaxTenants : 0, ExpiresAt = request.ExpiresAt,
            MaxUsers = request.Kind == LicenceKind.Tenant ? request.MaxUsers : null,
            IssuedByAgencyId = issuedByAgencyId,
        };
        db.Licences.Add(licence);
        var owner = new AppUser
        {
            Username = request.OwnerUsername, DisplayName = request.OwnerDisplayName, PasswordHash = PasswordHashing.Hash(request.OwnerPassword),
            Phone = request.OwnerPhone,
        };
        Guid holderId;
        if (request.Kind == LicenceKind.Tenant)
        {
            var tenant = new Tenant { Name = request.Name, LicenceId = licence.Id, AgencyId = issuedByAgencyId };
            db.Tenants.Add(tenant);
            (owner.TenantId, owner.Role, holderId) = (tenant.Id, UserRole.Owner, tenant.Id);
        }
        else
        {
            var agency = new Agency { Name = request.Name, LicenceId = licence.Id };
            db.Agencies.Add(agency);
            (owner.AgencyId, owner.Role, holderId) = (agency.Id, UserRole.AgencyOwner, agency.Id);
        }
        db.Users.Add(owner);
        return new IssuedLicence(licence.Id, holderId, code.Code);
    }
}
