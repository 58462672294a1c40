using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Automation;

/// <summary>Per-workspace bot behaviour: human takeover, cooldown and cap, opt-out keywords.</summary>
public class BotSettings : Entity, IWorkspaceOwned
{
    public const int OptOutMaxLength = 500;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public bool Enabled { get; set; } = true;
    public int HumanTakeoverMinutes { get; set; } = 30;
    public int CooldownSeconds { get; set; } = 60;
    public int MaxRepliesPerHour { get; set; } = 10;

    /// <summary>Comma separated, matched as whole messages (e.g. STOP, BERHENTI).</summary>
    public string OptOutKeywords { get; set; } = "STOP,BERHENTI";
}
