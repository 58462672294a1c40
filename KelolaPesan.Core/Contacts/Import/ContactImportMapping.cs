namespace KelolaPesan.Core.Contacts.Import;

/// <summary>Which column of the file goes to which contact field: "name", "phone", "email", "group", "optout" or "field:&lt;key&gt;".</summary>
public sealed class ContactImportMapping
{
    public const string Name = "name", Phone = "phone", Email = "email", Group = "group", OptOut = "optout", FieldPrefix = "field:";

    public static readonly IReadOnlySet<string> StandardTargets = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Name, Phone, Email, Group, OptOut };

    /// <summary>Target by 0-based column index; unmapped columns are ignored.</summary>
    public Dictionary<int, string> Columns { get; set; } = [];

    public bool HasPhone => Columns.Values.Any(v => v == Phone);

    /// <summary>Guesses the mapping from header names, in Indonesian and English.</summary>
    public static ContactImportMapping Guess(IReadOnlyList<string?> headers, IReadOnlyList<CustomFieldDefinition> fields)
    {
        var mapping = new ContactImportMapping();
        for (var i = 0; i < headers.Count; i++)
        {
            var h = (headers[i] ?? "").Trim().ToLowerInvariant().Replace("_", " ").Replace(".", "");
            if (h.Length == 0)
                continue;
            string? target = h switch
            {
                "name" or "nama" or "nama lengkap" or "full name" or "nama pelanggan" or "customer" => Name,
                "phone" or "telepon" or "telp" or "no hp" or "hp" or "nomor" or "nomor hp" or "no telepon" or "whatsapp" or "wa" or "no wa" or "nomor wa" or "mobile" or "phone number" => Phone,
                "email" or "e-mail" or "surel" => Email,
                "group" or "grup" or "kelompok" => Group,
                "opt out" or "optout" or "opted out" or "berhenti" or "berhenti langganan" => OptOut,
                _ => fields.FirstOrDefault(f => string.Equals(f.Key, h, StringComparison.OrdinalIgnoreCase) || string.Equals(f.Label, h, StringComparison.OrdinalIgnoreCase)) is { } f ? FieldPrefix + f.Key : null,
            };
            if (target is not null && !mapping.Columns.ContainsValue(target))
                mapping.Columns[i] = target;
        }
        return mapping;
    }
}
