using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Contacts;

/// <summary>A tenant-defined contact field; values are validated by <see cref="Type"/>.</summary>
public class CustomFieldDefinition : Entity, ITenantOwned
{
    public const int KeyMaxLength = 50;
    public const int LabelMaxLength = 100;
    public const int ValueMaxLength = 1000;

    public Guid TenantId { get; set; }

    /// <summary>The placeholder name, e.g. <c>city</c> for <c>{city}</c>.</summary>
    public string Key { get; set; } = "";
    public string Label { get; set; } = "";
    public CustomFieldType Type { get; set; }

    /// <summary>For <see cref="CustomFieldType.Choice"/>: the allowed values, one per line.</summary>
    public string? Choices { get; set; }
    public int SortOrder { get; set; }
}

public enum CustomFieldType { Text = 0, Number = 1, Date = 2, Choice = 3 }

/// <summary>One custom field value of a contact, stored as invariant text so segments can compare it.</summary>
public class ContactFieldValue : Entity, IWorkspaceOwned
{
    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid ContactId { get; set; }
    /// <summary>
    /// The indexed leading part of <see cref="Value"/>: the whole value (up to 1,000 characters) would make the
    /// (FieldId, Value) key 2,016 bytes on SQL Server, over its 1,700-byte limit for an index key.
    /// </summary>
    public const int ValuePrefixLength = 400;

    public Guid FieldId { get; set; }

    /// <summary>Also sets <see cref="ValuePrefix"/>.</summary>
    public string Value
    {
        get => _value;
        set
        {
            _value = value;
            ValuePrefix = value.Length <= ValuePrefixLength ? value : value[..ValuePrefixLength];
        }
    }
    private string _value = "";

    /// <summary>The first <see cref="ValuePrefixLength"/> characters of <see cref="Value"/>: indexed with the field id.</summary>
    public string ValuePrefix { get; private set; } = "";
}
