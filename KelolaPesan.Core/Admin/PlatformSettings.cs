using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;

namespace KelolaPesan.Core.Admin;

/// <summary>The single row of platform-wide settings: the admin WhatsApp connection and the watermark.</summary>
public class PlatformSettings : Entity
{
    public const int WatermarkMaxLength = 300;

    /// <summary>The platform-owned workspace used to notify tenant owners.</summary>
    public Guid? AdminWorkspaceId { get; set; }

    public bool WatermarkEnabled { get; set; } = true;

    /// <summary>Footer appended to paced outgoing messages; WhatsApp formatting allowed.</summary>
    public string WatermarkText { get; set; } = "_Dikirim dengan Kelola Pesan_";
    public PolicyTierSet WatermarkTiers { get; set; } = PolicyTierSet.Basic;
}

[Flags]
public enum PolicyTierSet { None = 0, Basic = 1, Standard = 2, Premium = 4 }
