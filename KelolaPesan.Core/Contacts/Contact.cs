using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Contacts;

/// <summary>A customer of a workspace. <see cref="Phone"/> is E.164, unique per workspace.</summary>
public class Contact : Entity, IWorkspaceOwned, ISoftDeletable
{
    public const int NameMaxLength = 200;
    public const int PhoneMaxLength = 20;
    public const int EmailMaxLength = 254;
    public const int GroupIdMaxLength = 100;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public string Name { get; set; } = "";
    public string Phone { get; set; } = "";
    public string? Email { get; set; }

    /// <summary>The customer's group (free text id used by segments and imports).</summary>
    public string? GroupId { get; set; }

    public bool OptedOut { get; set; }
    public DateTimeOffset? OptedOutAt { get; set; }
    public ValidationStatus? LastValidationStatus { get; set; }
    public DateTimeOffset? LastValidatedAt { get; set; }
    public DateTimeOffset? LastMessageAt { get; set; }
    public Guid? ImportId { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }

    public List<ContactFieldValue> FieldValues { get; set; } = [];
}

/// <summary>Outcome of checking a number on WhatsApp; also the status of a validation entry.</summary>
public enum ValidationStatus { Pending = 0, Registered = 1, NotRegistered = 2, InvalidFormat = 3, Unknown = 4 }
