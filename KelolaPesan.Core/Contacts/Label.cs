using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Contacts;

/// <summary>A coloured tag put on contacts and chats.</summary>
public class Label : Entity, IWorkspaceOwned
{
    public const int NameMaxLength = 50;

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
    public string Color { get; set; } = "#5C6BC0";
}

public class ContactLabel : Entity, IWorkspaceOwned
{
    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid ContactId { get; set; }
    public Guid LabelId { get; set; }
}
