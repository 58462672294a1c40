using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Tenancy;

/// <summary>
/// A tenant (workspace) licence or an agency licence. The code itself is never stored:
/// only its visible prefix (for lookup) and a SHA-256 hash (it has at least 80 bits of entropy).
/// </summary>
public class Licence : Entity
{
    public const int NameMaxLength = 100;

    public LicenceKind Kind { get; set; }
    public string Name { get; set; } = "";
    public string CodePrefix { get; set; } = "";
    public byte[] CodeHash { get; set; } = [];
    public LicenceStatus Status { get; set; } = LicenceStatus.Active;
    public PolicyTier Tier { get; set; } = PolicyTier.Basic;
    public LicenceFeatures Features { get; set; } = LicenceFeatures.None;

    /// <summary>Tenant licence: workspaces the tenant may have.</summary>
    public int MaxWorkspaces { get; set; } = 1;

    /// <summary>Agency licence: tenants the agency may create.</summary>
    public int MaxTenants { get; set; }

    /// <summary>Tenant licence: active users the tenant may have, owner included; null = unlimited.</summary>
    public int? MaxUsers { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? CodeRegeneratedAt { get; set; }

    /// <summary>Set when an agency issued this tenant licence out of its own quota.</summary>
    public Guid? IssuedByAgencyId { get; set; }

    public bool IsUsableAt(DateTimeOffset now) => Status == LicenceStatus.Active && (ExpiresAt is null || ExpiresAt > now);
}

public enum LicenceKind { Tenant = 0, Agency = 1 }

public enum LicenceStatus { Active = 0, Suspended = 1 }

public enum PolicyTier { Basic = 0, Standard = 1, Premium = 2 }

[Flags]
public enum LicenceFeatures
{
    None = 0,
    Instagram = 1,
    RestApi = 2,
    Sequences = 4,
    NumberValidation = 8,
    All = Instagram | RestApi | Sequences | NumberValidation,
}
