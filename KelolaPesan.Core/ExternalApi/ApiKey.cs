using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.ExternalApi;

/// <summary>
/// A REST API key <c>kp_&lt;prefix&gt;_&lt;secret&gt;</c>. Stored only as its prefix (lookup) and the SHA-256
/// hash of the secret (checked in constant time): the full key is shown once, at creation, and can never be
/// shown again. A lost key is revoked and replaced.
/// </summary>
public class ApiKey : Entity, ITenantOwned
{
    public const int NameMaxLength = 100;
    public const int PrefixLength = 8;

    public Guid TenantId { get; set; }

    /// <summary>Optional scope: the key may act only on this workspace.</summary>
    public Guid? WorkspaceId { get; set; }
    public string Name { get; set; } = "";
    public string Prefix { get; set; } = "";
    public byte[] SecretHash { get; set; } = [];
    public ApiKeyStatus Status { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public Guid? CreatedByUserId { get; set; }
}

public enum ApiKeyStatus { Active = 0, Revoked = 1 }
