using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;

namespace KelolaPesan.Core.Admin;

/// <summary>
/// Workspace policy: the platform default (<see cref="Tier"/> null) and per-tier overrides.
/// Broadcasts, bots, imports, uploads and session monitoring read these; a tenant may be stricter, never looser.
/// </summary>
public class PolicySettings : Entity
{
    public PolicyTier? Tier { get; set; }
    public int MaxWorkspaces { get; set; } = 3;
    public int DailyCapPerWorkspace { get; set; } = 1000;
    public int MinDelaySeconds { get; set; } = 30;
    public int MaxDelaySeconds { get; set; } = 60;
    public int BatchSize { get; set; } = 50;
    public int BatchRestSeconds { get; set; } = 600;
    public TimeOnly SendWindowStart { get; set; } = new(8, 0);
    public TimeOnly SendWindowEnd { get; set; } = new(20, 0);
    public long MaxAttachmentBytes { get; set; } = 16 * 1024 * 1024;
    public long MaxImportBytes { get; set; } = 20 * 1024 * 1024;
    public int MaxImportRows { get; set; } = 100_000;
    public LicenceFeatures AllowedFeatures { get; set; } = LicenceFeatures.All;
    public bool AutoRestartFailedSessions { get; set; } = true;
    public int MaxReconnectsPerDay { get; set; } = 3;

    /// <summary>How long a number's WhatsApp check holds before a broadcast asks the gateway again.</summary>
    public int NumberCheckMaxAgeDays { get; set; } = 30;

    /// <summary>How many times in a row the monitor asks about a session the gateway does not know before it stops asking.</summary>
    public int MaxUnknownSessionChecks { get; set; } = 6;
}
