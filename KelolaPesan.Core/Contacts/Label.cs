using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Contacts;

/// <summary>A coloured tag put on contacts and chats.</summary>
public class Label : Entity, IWorkspaceOwned
{
    public const int NameMaxLength = 50;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public string Name { get; set; } = "";
    public string Color { get; set; } = "#5C6BC0";
}

public class ContactLabel : Entity, IWorkspaceOwned
{
    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid ContactId { get; set; }
    public Guid LabelId { get; set; }
}
