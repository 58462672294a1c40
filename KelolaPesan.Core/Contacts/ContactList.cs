using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Contacts;

/// <summary>A named list of contacts (many-to-many through <see cref="ContactListMember"/>).</summary>
public class ContactList : Entity, IWorkspaceOwned
{
    public const int NameMaxLength = 100;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    /// <summary>Also sets <see cref="NormalizedName"/>, which the unique name index and lookups compare (case-insensitively on every provider).</summary>
    public string Name
    {
        get => _name;
        set
        {
            _name = value;
            NormalizedName = NormalizedText.Of(value);
        }
    }
    private string _name = "";

    public string NormalizedName { get; private set; } = "";
    public string? Description { get; set; }
}

public class ContactListMember : Entity, IWorkspaceOwned
{
    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid ContactListId { get; set; }
    public Guid ContactId { get; set; }
}
