using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Contacts;

/// <summary>A saved contact filter; segments are broadcast audiences.</summary>
public class Segment : Entity, IWorkspaceOwned
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

    /// <summary>The filter definition as JSON (lists, labels, field comparisons, dates, flags).</summary>
    public string FilterJson { get; set; } = "{}";
    public int? LastCount { get; set; }
}
