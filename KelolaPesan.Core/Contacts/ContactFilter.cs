using System.Text.Json;
using System.Text.Json.Serialization;
using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Contacts;

/// <summary>
/// The one filter model of contacts: the grid's filters and a segment's saved definition (<see cref="Segment.FilterJson"/>).
/// Every condition is optional; set ones are AND-ed. Lists and labels match when the contact is in any of them.
/// </summary>
public sealed class ContactFilter
{
    public string? Search { get; set; }
    public List<Guid> ListIds { get; set; } = [];
    public List<Guid> LabelIds { get; set; } = [];
    public List<FieldCondition> Fields { get; set; } = [];
    public DateTimeOffset? CreatedFrom { get; set; }
    public DateTimeOffset? CreatedTo { get; set; }
    public DateTimeOffset? LastMessageFrom { get; set; }
    public DateTimeOffset? LastMessageTo { get; set; }
    public bool? HasChatted { get; set; }
    public List<ValidationStatus> ValidationStatuses { get; set; } = [];

    /// <summary>True: only contacts that have never been validated (no status yet).</summary>
    public bool NeverValidated { get; set; }
    public bool? OptedOut { get; set; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ContactFilter FromJson(string? json) =>
        string.IsNullOrWhiteSpace(json) ? new() : JsonSerializer.Deserialize<ContactFilter>(json, Json) ?? new();

    public ContactFilter Clone() => FromJson(ToJson());

    /// <summary>Translates the filter to SQL over the workspace's contacts (works on SQLite and SQL Server).</summary>
    public IQueryable<Contact> Apply(IQueryable<Contact> contacts, IKelolaDb db)
    {
        if (!string.IsNullOrWhiteSpace(Search))
        {
            var term = Search.Trim();
            // "0812..." typed in the box should find "+62812...": search the digits without the trunk 0. Only a term
            // written like a number is one: the digits of "Toko 123" or "Budi-2a3b7c" would match unrelated phones.
            var looksLikeNumber = term.All(ch => char.IsAsciiDigit(ch) || ch is '+' or '-' or ' ' or '(' or ')' or '.');
            var phoneTerm = looksLikeNumber ? new string(term.Where(char.IsAsciiDigit).ToArray()).TrimStart('0') : "";
            contacts = phoneTerm.Length >= 3
                ? contacts.Where(c => c.Name.Contains(term) || c.Phone.Contains(phoneTerm) || (c.Email != null && c.Email.Contains(term)))
                : contacts.Where(c => c.Name.Contains(term) || (c.Email != null && c.Email.Contains(term)));
        }
        if (ListIds.Count > 0)
        {
            var lists = ListIds.ToList();
            contacts = contacts.Where(c => db.ContactListMembers.Any(m => m.ContactId == c.Id && lists.Contains(m.ContactListId)));
        }
        if (LabelIds.Count > 0)
        {
            var labels = LabelIds.ToList();
            contacts = contacts.Where(c => db.ContactLabels.Any(l => l.ContactId == c.Id && labels.Contains(l.LabelId)));
        }
        foreach (var condition in Fields)
            contacts = condition.Apply(contacts, db);
        if (CreatedFrom is { } createdFrom)
            contacts = contacts.Where(c => c.CreatedAt >= createdFrom);
        if (CreatedTo is { } createdTo)
            contacts = contacts.Where(c => c.CreatedAt < createdTo);
        if (LastMessageFrom is { } lastFrom)
            contacts = contacts.Where(c => db.Chats.Any(ch => ch.ContactId == c.Id && ch.LastMessageAt >= lastFrom));
        if (LastMessageTo is { } lastTo)
            contacts = contacts.Where(c => db.Chats.Any(ch => ch.ContactId == c.Id) && !db.Chats.Any(ch => ch.ContactId == c.Id && ch.LastMessageAt >= lastTo));
        if (HasChatted is { } chatted)
            contacts = chatted
                ? contacts.Where(c => db.Chats.Any(ch => ch.ContactId == c.Id))
                : contacts.Where(c => !db.Chats.Any(ch => ch.ContactId == c.Id));
        if (ValidationStatuses.Count > 0 || NeverValidated)
        {
            var statuses = ValidationStatuses.Select(s => (ValidationStatus?)s).ToList();
            var never = NeverValidated;
            contacts = contacts.Where(c => statuses.Contains(c.LastValidationStatus) || (never && c.LastValidationStatus == null));
        }
        if (OptedOut is { } optedOut)
            contacts = contacts.Where(c => c.OptedOut == optedOut);
        return contacts;
    }
}

public enum FieldOperator { Equals, NotEquals, Contains, GreaterThan, LessThan, IsSet, IsNotSet }

/// <summary>A comparison on one custom field. Numbers and dates compare by value, text case-insensitively.</summary>
public sealed class FieldCondition
{
    public Guid FieldId { get; set; }
    public FieldOperator Operator { get; set; }
    public string? Value { get; set; }

    /// <summary>Filled by the service from the definition before <see cref="Apply"/>; not stored.</summary>
    [JsonIgnore]
    public CustomFieldType Type { get; set; }

    internal IQueryable<Contact> Apply(IQueryable<Contact> contacts, IKelolaDb db)
    {
        var fieldId = FieldId;
        var values = db.ContactFieldValues.Where(v => v.FieldId == fieldId);
        var value = (Value ?? "").Trim();
        switch (Operator)
        {
            case FieldOperator.IsSet:
                return contacts.Where(c => values.Any(v => v.ContactId == c.Id));
            case FieldOperator.IsNotSet:
                return contacts.Where(c => !values.Any(v => v.ContactId == c.Id));
            case FieldOperator.Contains:
                var lowered = value.ToLower();
                return contacts.Where(c => values.Any(v => v.ContactId == c.Id && v.Value.ToLower().Contains(lowered)));
            case FieldOperator.NotEquals:
                var notEqual = Canonical(value);
                return contacts.Where(c => !values.Any(v => v.ContactId == c.Id && v.Value.ToLower() == notEqual.ToLower()));
        }

        if (Type == CustomFieldType.Number && decimal.TryParse(value, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var number) && number >= 0)
        {
            // Values are stored as invariant decimal text without trailing zeros. SQLite cannot cast in EF's
            // translation, so compare non-negative numbers by the length of their integer part, then as text
            // ("10" > "9" because it has more integer digits). Negative values are below any non-negative threshold.
            var n = CustomFieldValues.FormatNumber(number);
            var intLength = n.Contains('.') ? n.IndexOf('.') : n.Length;
            return Operator switch
            {
                FieldOperator.GreaterThan => contacts.Where(c => values.Any(v => v.ContactId == c.Id && !v.Value.StartsWith("-") &&
                    ((v.Value.Contains(".") ? v.Value.IndexOf(".") : v.Value.Length) > intLength ||
                     ((v.Value.Contains(".") ? v.Value.IndexOf(".") : v.Value.Length) == intLength && string.Compare(v.Value, n) > 0)))),
                FieldOperator.LessThan => contacts.Where(c => values.Any(v => v.ContactId == c.Id && (v.Value.StartsWith("-") ||
                    (v.Value.Contains(".") ? v.Value.IndexOf(".") : v.Value.Length) < intLength ||
                    ((v.Value.Contains(".") ? v.Value.IndexOf(".") : v.Value.Length) == intLength && string.Compare(v.Value, n) < 0)))),
                _ => contacts.Where(c => values.Any(v => v.ContactId == c.Id && v.Value == n)),
            };
        }

        // Text and dates (stored yyyy-MM-dd, so the text order is the date order).
        var canonical = Canonical(value);
        return Operator switch
        {
            FieldOperator.GreaterThan => contacts.Where(c => values.Any(v => v.ContactId == c.Id && string.Compare(v.Value, canonical) > 0)),
            FieldOperator.LessThan => contacts.Where(c => values.Any(v => v.ContactId == c.Id && string.Compare(v.Value, canonical) < 0)),
            _ => contacts.Where(c => values.Any(v => v.ContactId == c.Id && v.Value.ToLower() == canonical.ToLower())),
        };
    }

    private string Canonical(string value) =>
        Type == CustomFieldType.Date && CustomFieldValues.ParseDate(value) is { } d
            ? d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
            : value;
}
