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
    public Guid FieldId { get; set; }
    public string Value { get; set; } = "";
}
