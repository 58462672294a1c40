using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Inbox;

/// <summary>A canned response inserted in the composer by typing <c>/</c> and its shortcut.</summary>
public class QuickReply : Entity, IWorkspaceOwned
{
    public const int ShortcutMaxLength = 30;
    public const int TextMaxLength = 4096;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public string Shortcut { get; set; } = "";
    public string Text { get; set; } = "";
}
