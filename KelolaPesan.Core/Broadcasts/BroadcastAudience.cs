using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>One resolved audience member: a contact or a pasted number, with the values its placeholders use.</summary>
public sealed record AudienceMember(Guid? ContactId, string Phone, string? Name, string? SkipReason, IReadOnlyDictionary<string, string?> Values);

/// <summary>The audience of a request: lists, segments, labels and pasted numbers, deduplicated by normalised number.</summary>
public sealed record ResolvedAudience(IReadOnlyList<AudienceMember> Members, int DuplicatesRemoved, IReadOnlySet<string> KnownKeys);

public static class BroadcastAudience
{
    // Skip reasons are problem codes (Common/ProblemText), so the preview, the recipients and the report read them in
    // their reader's language; an invalid number's reason is followed by the Phone_* code of why.
    public const string ReasonOptedOut = "Broadcast_SkipOptedOut";
    public const string ReasonNotRegistered = "Broadcast_SkipNotRegistered";
    public const string ReasonInvalidPrefix = "Broadcast_SkipInvalidNumber";
    public const string ReasonCancelled = "Broadcast_SkipCancelled";

    /// <summary>The stored reason of a number that is not one: <see cref="ReasonInvalidPrefix"/> and the phone problem's code.</summary>
    public static string ReasonInvalid(PhoneError error) => ProblemText.Store([Problem.Of(ReasonInvalidPrefix), Problem.Of(PhoneNormalizer.Code(error))]);

    public static async Task<ResolvedAudience> ResolveAsync(IKelolaDb db, Guid tenantId, Guid workspaceId, string region, CreateBroadcastRequest request, CancellationToken ct)
    {
        // Each source is one query joined in SQL (no id lists sent back and forth); a contact in several sources comes once.
        var sources = new List<IQueryable<Contact>>();
        var listIds = request.ListIds;
        var labelIds = request.LabelIds;
        if (listIds.Count > 0)
            sources.Add(db.Contacts.Where(c => c.WorkspaceId == workspaceId && db.ContactListMembers.Any(m => m.ContactId == c.Id && listIds.Contains(m.ContactListId))));
        if (labelIds.Count > 0)
            sources.Add(db.Contacts.Where(c => c.WorkspaceId == workspaceId && db.ContactLabels.Any(m => m.ContactId == c.Id && labelIds.Contains(m.LabelId))));
        foreach (var segmentId in request.SegmentIds)
        {
            var segment = await db.Segments.AsNoTracking().FirstOrDefaultAsync(s => s.Id == segmentId && s.WorkspaceId == workspaceId, ct);
            if (segment is not null)
                sources.Add(await SegmentService.QueryContacts(db, segment, ct));
        }

        var fields = await db.CustomFields.AsNoTracking().Select(f => new { f.Id, f.Key }).ToListAsync(ct);
        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { MessageTemplate.NameKey, MessageTemplate.PhoneKey };
        known.UnionWith(fields.Select(f => f.Key));
        var schema = new AudienceValueKeys(fields.Select(f => f.Key));
        var fieldIndexById = fields.ToDictionary(f => f.Id, f => schema.IndexOf(f.Key));

        var pasted = SplitNumbers(request.PastedNumbers).Select(raw => (Raw: raw, Result: PhoneNormalizer.Normalize(raw, region))).ToList();
        var pastedPhones = pasted.Where(p => p.Result.IsValid).Select(p => p.Result.E164!).Distinct().ToList();

        // Contacts of the workspace: everyone chosen, plus those a pasted number belongs to (their opt-out holds).
        var contacts = new List<ContactRow>();
        var seenIds = new HashSet<Guid>();
        foreach (var source in sources)
            foreach (var c in await source.AsNoTracking().Select(c => new ContactRow(c.Id, c.Name, c.Phone, c.OptedOut, c.LastValidationStatus, c.CreatedAt)).ToListAsync(ct))
                if (seenIds.Add(c.Id))
                    contacts.Add(c);
        var byPhone = new Dictionary<string, ContactRow>();
        foreach (var chunk in pastedPhones.Chunk(5_000))
            foreach (var c in await db.Contacts.AsNoTracking().Where(c => c.WorkspaceId == workspaceId && chunk.Contains(c.Phone))
                         .Select(c => new ContactRow(c.Id, c.Name, c.Phone, c.OptedOut, c.LastValidationStatus, c.CreatedAt)).ToListAsync(ct))
                byPhone.TryAdd(c.Phone, c);

        var contactIds = contacts.Select(c => c.Id).Concat(byPhone.Values.Select(c => c.Id)).ToHashSet();
        // Custom field values per contact, by the schema's slot: one small array per contact, not a dictionary.
        var values = new Dictionary<Guid, string?[]>();
        if (fieldIndexById.Count > 0 && contactIds.Count > 0)
        {
            var fieldValues = contactIds.Count > 5_000
                ? (await db.ContactFieldValues.AsNoTracking().Where(v => v.WorkspaceId == workspaceId).Select(v => new { v.ContactId, v.FieldId, v.Value }).ToListAsync(ct))
                    .Where(v => contactIds.Contains(v.ContactId)).ToList()
                : await db.ContactFieldValues.AsNoTracking().Where(v => contactIds.Contains(v.ContactId)).Select(v => new { v.ContactId, v.FieldId, v.Value }).ToListAsync(ct);
            foreach (var v in fieldValues)
                if (fieldIndexById.TryGetValue(v.FieldId, out var slot))
                    (values.TryGetValue(v.ContactId, out var d) ? d : values[v.ContactId] = new string?[schema.Count])[slot] = v.Value;
        }

        var members = new List<AudienceMember>(contacts.Count + pasted.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = 0;
        // Contacts in the order they were added (stable across retries of the same request), then pasted numbers in typed order.
        foreach (var c in contacts.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id))
        {
            if (!seen.Add(c.Phone)) { duplicates++; continue; }
            members.Add(Member(c, values, schema));
        }
        foreach (var (raw, result) in pasted)
        {
            var phone = result.E164 ?? Limit(raw, BroadcastRecipient.PhoneMaxLength);
            if (!seen.Add(phone)) { duplicates++; continue; }
            if (!result.IsValid)
                members.Add(new AudienceMember(null, phone, null, ReasonInvalid(result.Error), schema.For(null, phone, null)));
            else if (byPhone.TryGetValue(phone, out var c))
                members.Add(Member(c, values, schema));
            else
                members.Add(new AudienceMember(null, phone, null, null, schema.For(null, phone, null)));
        }
        return new ResolvedAudience(members, duplicates, known);
    }

    public static IEnumerable<string> SplitNumbers(string? pasted) =>
        string.IsNullOrWhiteSpace(pasted) ? [] : pasted.Split(['\n', '\r', ',', ';', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static AudienceMember Member(ContactRow c, Dictionary<Guid, string?[]> values, AudienceValueKeys schema)
    {
        var reason = c.OptedOut ? ReasonOptedOut
            : c.Validation == ValidationStatus.NotRegistered ? ReasonNotRegistered
            : c.Validation == ValidationStatus.InvalidFormat ? ReasonInvalid(PhoneError.Invalid)
            : null;
        return new AudienceMember(c.Id, c.Phone, c.Name, reason, schema.For(c.Name, c.Phone, values.GetValueOrDefault(c.Id)));
    }

    private static string Limit(string value, int max) => value.Length <= max ? value : value[..max];

    private sealed record ContactRow(Guid Id, string Name, string Phone, bool OptedOut, ValidationStatus? Validation, DateTimeOffset CreatedAt);
}
