using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;

namespace KelolaPesan.Core.Validation;

/// <summary>
/// The gateway's last answer about one number of a workspace (on WhatsApp or not) and when it was given. Broadcasts reuse it
/// within the policy's <see cref="Admin.PolicySettings.NumberCheckMaxAgeDays"/>, so a pasted number with no contact is not
/// asked about again for every broadcast; a contact keeps the same answer in its own validation fields.
/// </summary>
public class NumberCheck : Entity, IWorkspaceOwned
{
    public const int PhoneMaxLength = 20;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public string Phone { get; set; } = "";
    public ValidationStatus Status { get; set; }
    public DateTimeOffset CheckedAt { get; set; }
}
