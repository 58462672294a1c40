using FluentValidation;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;

namespace KelolaPesan.Core.Tenancy;

/// <summary>
/// A new licence with its holder: a tenant and its first Owner, or an agency and its AgencyOwner.
/// The admin chooses the owner's username and password; the licence code is generated and shown once.
/// </summary>
public sealed class IssueLicenceRequest
{
    public const int MaxWorkspacesLimit = 100;
    public const int MaxTenantsLimit = 10_000;
    public const int MaxUsersLimit = 10_000;

    public LicenceKind Kind { get; set; } = LicenceKind.Tenant;
    public string Name { get; set; } = "";
    public string OwnerUsername { get; set; } = "";
    public string OwnerDisplayName { get; set; } = "";
    public string OwnerPassword { get; set; } = "";

    /// <summary>The owner's WhatsApp number for platform notifications (optional).</summary>
    public string? OwnerPhone { get; set; }

    public PolicyTier Tier { get; set; } = PolicyTier.Basic;
    public LicenceFeatures Features { get; set; } = LicenceFeatures.None;
    public int MaxWorkspaces { get; set; } = 1;
    public int MaxTenants { get; set; } = 5;

    /// <summary>Tenant licence: active users the tenant may have (owner included); null = unlimited.</summary>
    public int? MaxUsers { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }
}

public sealed class IssueLicenceRequestValidator : AbstractValidator<IssueLicenceRequest>
{
    public IssueLicenceRequestValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(Licence.NameMaxLength);
        RuleFor(x => x.OwnerUsername).NotEmpty().MaximumLength(AppUser.UsernameMaxLength)
            .Matches("^[a-zA-Z0-9._-]+$").WithProblem("Licence_UsernameFormat");
        RuleFor(x => x.OwnerDisplayName).NotEmpty().MaximumLength(AppUser.DisplayNameMaxLength);
        RuleFor(x => x.OwnerPassword).Password(x => [x.OwnerUsername]);
        RuleFor(x => x.MaxUsers).InclusiveBetween(1, IssueLicenceRequest.MaxUsersLimit).When(x => x.MaxUsers is not null);
        // The new tenant starts in the default region: the number is read as the owner-phone cell reads it later.
        RuleFor(x => x.OwnerPhone).Custom((phone, ctx) =>
        {
            if (PhoneNormalizer.Normalize(phone, Tenant.DefaultRegion) is { IsValid: false } result)
                ctx.AddProblem(nameof(IssueLicenceRequest.OwnerPhone), PhoneNormalizer.Code(result.Error));
        }).When(x => !string.IsNullOrWhiteSpace(x.OwnerPhone));
        RuleFor(x => x.MaxWorkspaces).InclusiveBetween(1, IssueLicenceRequest.MaxWorkspacesLimit).When(x => x.Kind == LicenceKind.Tenant);
        RuleFor(x => x.MaxTenants).InclusiveBetween(1, IssueLicenceRequest.MaxTenantsLimit).When(x => x.Kind == LicenceKind.Agency);
        RuleFor(x => x.Features).Must(f => (f & ~LicenceFeatures.All) == 0).WithProblem("Feature_Unknown");
    }
}

/// <summary>What an admin may change on an existing licence (extension has its own action).</summary>
public sealed class UpdateLicenceRequest
{
    public PolicyTier Tier { get; set; }
    public LicenceFeatures Features { get; set; }
    public int MaxWorkspaces { get; set; } = 1;
    public int MaxTenants { get; set; }

    /// <inheritdoc cref="IssueLicenceRequest.MaxUsers"/>
    public int? MaxUsers { get; set; }
}

public sealed class UpdateLicenceRequestValidator : AbstractValidator<UpdateLicenceRequest>
{
    public UpdateLicenceRequestValidator()
    {
        RuleFor(x => x.MaxWorkspaces).InclusiveBetween(1, IssueLicenceRequest.MaxWorkspacesLimit);
        RuleFor(x => x.MaxTenants).InclusiveBetween(0, IssueLicenceRequest.MaxTenantsLimit);
        RuleFor(x => x.MaxUsers).InclusiveBetween(1, IssueLicenceRequest.MaxUsersLimit).When(x => x.MaxUsers is not null);
        RuleFor(x => x.Features).Must(f => (f & ~LicenceFeatures.All) == 0).WithProblem("Feature_Unknown");
    }
}

/// <summary>The licence just issued or re-keyed; <see cref="Code"/> exists only here and is never stored.</summary>
public sealed record IssuedLicence(Guid LicenceId, Guid HolderId, string Code);

public enum LicenceChange { Done, NotFound }

/// <summary>An agency tried to create a tenant past its licence's MaxTenants.</summary>
public sealed class TenantQuotaExceededException(int maxTenants)
    : InvalidOperationException($"The agency licence allows {maxTenants} tenants; the quota is used up.")
{
    public int MaxTenants { get; } = maxTenants;
}

/// <summary>Licence state as the admin sees it (derived from status and expiry, never stored).</summary>
public enum LicenceState { Active = 0, ExpiringSoon = 1, Expired = 2, Suspended = 3 }

public static class LicenceStates
{
    public static readonly TimeSpan ExpiringSoonWindow = TimeSpan.FromDays(14);

    public static LicenceState Of(LicenceStatus status, DateTimeOffset? expiresAt, DateTimeOffset now) =>
        status == LicenceStatus.Suspended ? LicenceState.Suspended
        : expiresAt is { } e && e <= now ? LicenceState.Expired
        : expiresAt is { } s && s - now <= ExpiringSoonWindow ? LicenceState.ExpiringSoon
        : LicenceState.Active;
}

public sealed record LicenceRow(
    Guid Id, LicenceKind Kind, string Name, string CodePrefix, LicenceStatus Status, LicenceState State, PolicyTier Tier,
    LicenceFeatures Features, int MaxWorkspaces, int MaxTenants, DateTimeOffset? ExpiresAt, DateTimeOffset CreatedAt,
    Guid? HolderId, string? IssuedByAgency, int TenantsUsed, int? MaxUsers = null);
