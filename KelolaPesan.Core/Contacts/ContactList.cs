using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Contacts;

/// <summary>A named list of contacts (many-to-many through <see cref="ContactListMember"/>).</summary>
public class ContactList : Entity, IWorkspaceOwned
{
    public const int NameMaxLength = 100;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
}

public class ContactListMember : Entity, IWorkspaceOwned
{
    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid ContactListId { get; set; }
    public Guid ContactId { get; set; }
}
