using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Workspaces;

/// <summary>WhatsApp hides some senders behind a LID ("...@lid"); this maps it to the phone number once known.</summary>
public class LidMapping : Entity, IWorkspaceOwned
{
    public const int LidMaxLength = 64;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public string Lid { get; set; } = "";
    public string PhoneNumber { get; set; } = "";
}
