using KelolaPesan.Core.Common;
using KelolaPesan.Core.Realtime;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Contacts;

/// <summary>Contacts of one workspace: create, edit, delete, the grid's paged query and bulk actions.</summary>
public sealed class ContactService(IKelolaDbFactory dbFactory, TimeProvider clock, IRealtimeBus bus)
{
    /// <summary>Soft-deleted contacts keep their phone's unique slot; re-creating the number revives the row.</summary>
    internal const string SoftDeleteFilter = "SoftDelete";

    public async Task<ContactWorkspace?> GetWorkspaceAsync(Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await ContactWorkspace.LoadAsync(db, workspaceId, ct);
    }

    public async Task<ContactInput?> GetForEditAsync(Guid workspaceId, Guid contactId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var contact = await db.Contacts.AsNoTracking().Include(c => c.FieldValues)
            .FirstOrDefaultAsync(c => c.Id == contactId && c.WorkspaceId == workspaceId, ct);
        if (contact is null)
            return null;
        var fields = await db.CustomFields.AsNoTracking().ToDictionaryAsync(f => f.Id, f => f.Key, ct);
        return new ContactInput
        {
            Name = contact.Name,
            Phone = contact.Phone,
            Email = contact.Email,
            GroupId = contact.GroupId,
            OptedOut = contact.OptedOut,
            Fields = contact.FieldValues.Where(v => fields.ContainsKey(v.FieldId))
                .ToDictionary(v => fields[v.FieldId], v => (string?)v.Value, StringComparer.OrdinalIgnoreCase),
            ListIds = await db.ContactListMembers.Where(m => m.ContactId == contactId).Select(m => m.ContactListId).ToListAsync(ct),
            LabelIds = await db.ContactLabels.Where(l => l.ContactId == contactId).Select(l => l.LabelId).ToListAsync(ct),
        };
    }

    public Task<ContactSaveResult> CreateAsync(Guid workspaceId, ContactInput input, CancellationToken ct = default) =>
        SaveAsync(workspaceId, null, input, ct);

    public Task<ContactSaveResult> UpdateAsync(Guid workspaceId, Guid contactId, ContactInput input, CancellationToken ct = default) =>
        SaveAsync(workspaceId, contactId, input, ct);

    private async Task<ContactSaveResult> SaveAsync(Guid workspaceId, Guid? contactId, ContactInput input, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var ws = await ContactWorkspace.LoadAsync(db, workspaceId, ct);
        if (ws is null)
            return ContactSaveResult.NotFound();

        // The dialog's and the API's name, as the import's (ToInput): what is left of it must still be a name.
        input.Name = NulText.Name(input.Name) ?? "";
        var validation = await ws.Validator.ValidateAsync(input, ct);
        if (!validation.IsValid)
            return ContactSaveResult.Invalid(validation.Errors.Select(e => new ContactError(e.PropertyName, e.ErrorMessage, e.ErrorCode)));
        var phone = PhoneNormalizer.Normalize(input.Phone, ws.Region).E164!;

        var sameNumber = await db.Contacts.IgnoreQueryFilters([SoftDeleteFilter])
            .FirstOrDefaultAsync(c => c.WorkspaceId == workspaceId && c.Phone == phone, ct);
        Contact? contact;
        if (contactId is null)
        {
            if (sameNumber is { DeletedAt: null })
                return ContactSaveResult.Invalid([new ContactError(nameof(ContactInput.Phone), ProblemText.Format("Contact_PhoneTaken", phone, sameNumber.Name), "Contact_PhoneTaken")]);
            contact = sameNumber ?? db.Contacts.Add(new Contact { TenantId = ws.TenantId, WorkspaceId = workspaceId }).Entity;
            contact.DeletedAt = null;
        }
        else
        {
            contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == contactId && c.WorkspaceId == workspaceId, ct);
            if (contact is null)
                return ContactSaveResult.NotFound();
            if (sameNumber is not null && sameNumber.Id != contact.Id)
            {
                var code = sameNumber.DeletedAt is null ? "Contact_PhoneTaken" : "Contact_PhoneOfDeleted";
                return ContactSaveResult.Invalid([new ContactError(nameof(ContactInput.Phone), ProblemText.Format(code, phone, sameNumber.Name), code)]);
            }
        }

        Apply(contact, input, phone, clock.GetUtcNow());
        await ApplyFieldsAsync(db, ws, contact, input.Fields, replaceAll: true, isNew: db.Contacts.Local.Contains(contact) && contact.CreatedAt == default, ct);
        await SetMembershipAsync(db, ws, contact.Id, input.ListIds, input.LabelIds, ct);
        var renamed = await NameChatsAsync(db, contact, ct);
        await db.SaveChangesAsync(ct);
        // Every open inbox shows the new name in its list and the conversation's header without a reload.
        foreach (var chat in renamed)
            await bus.PublishAsync(Topics.Workspace(workspaceId), new ChatChanged(ws.TenantId, workspaceId, chat.Id));
        return ContactSaveResult.Ok(contact.Id);
    }

    /// <summary>
    /// The chats of the contact (linked to it, or WhatsApp chats of its number, as an inbound message names them) take
    /// its name: the inbox titles a chat with the contact's name when one is known.
    /// </summary>
    private static async Task<List<Inbox.Chat>> NameChatsAsync(IKelolaDb db, Contact contact, CancellationToken ct)
    {
        var name = contact.Name.Length > Inbox.Chat.DisplayNameMaxLength ? contact.Name[..Inbox.Chat.DisplayNameMaxLength] : contact.Name;
        if (name.Length == 0)
            return [];
        var chats = await db.Chats
            .Where(c => c.WorkspaceId == contact.WorkspaceId && c.DisplayName != name
                && (c.ContactId == contact.Id || (c.Channel == Inbox.Channel.WhatsApp && c.PhoneNumber == contact.Phone)))
            .ToListAsync(ct);
        foreach (var chat in chats)
            chat.DisplayName = name;
        return chats;
    }

    internal static void Apply(Contact contact, ContactInput input, string phone, DateTimeOffset now)
    {
        contact.Name = input.Name.Trim();
        contact.Phone = phone;
        contact.Email = string.IsNullOrWhiteSpace(input.Email) ? null : input.Email.Trim();
        contact.GroupId = string.IsNullOrWhiteSpace(input.GroupId) ? null : input.GroupId.Trim();
        if (input.OptedOut && !contact.OptedOut)
            contact.OptedOutAt = now;
        if (!input.OptedOut)
            contact.OptedOutAt = null;
        contact.OptedOut = input.OptedOut;
    }

    internal static async Task ApplyFieldsAsync(IKelolaDb db, ContactWorkspace ws, Contact contact, IReadOnlyDictionary<string, string?> fields, bool replaceAll, bool isNew, CancellationToken ct)
    {
        var existing = isNew
            ? []
            : await db.ContactFieldValues.Where(v => v.ContactId == contact.Id).ToListAsync(ct);
        foreach (var def in ws.Fields)
        {
            var given = fields.TryGetValue(def.Key, out var raw);
            if (!given && !replaceAll)
                continue;
            var value = given ? CustomFieldValues.Parse(def, raw).Value : null;
            var row = existing.FirstOrDefault(v => v.FieldId == def.Id);
            if (value is null)
            {
                if (row is not null && replaceAll)
                    db.ContactFieldValues.Remove(row);
            }
            else if (row is null)
                db.ContactFieldValues.Add(new ContactFieldValue { TenantId = ws.TenantId, WorkspaceId = ws.WorkspaceId, ContactId = contact.Id, FieldId = def.Id, Value = value });
            else
                row.Value = value;
        }
    }

    private static async Task SetMembershipAsync(IKelolaDb db, ContactWorkspace ws, Guid contactId, List<Guid> listIds, List<Guid> labelIds, CancellationToken ct)
    {
        var validLists = await db.ContactLists.Where(l => l.WorkspaceId == ws.WorkspaceId && listIds.Contains(l.Id)).Select(l => l.Id).ToListAsync(ct);
        var members = await db.ContactListMembers.Where(m => m.ContactId == contactId).ToListAsync(ct);
        db.ContactListMembers.RemoveRange(members.Where(m => !validLists.Contains(m.ContactListId)));
        foreach (var id in validLists.Where(id => members.All(m => m.ContactListId != id)))
            db.ContactListMembers.Add(new ContactListMember { TenantId = ws.TenantId, WorkspaceId = ws.WorkspaceId, ContactId = contactId, ContactListId = id });

        var validLabels = await db.Labels.Where(l => l.WorkspaceId == ws.WorkspaceId && labelIds.Contains(l.Id)).Select(l => l.Id).ToListAsync(ct);
        var labels = await db.ContactLabels.Where(l => l.ContactId == contactId).ToListAsync(ct);
        db.ContactLabels.RemoveRange(labels.Where(l => !validLabels.Contains(l.LabelId)));
        foreach (var id in validLabels.Where(id => labels.All(l => l.LabelId != id)))
            db.ContactLabels.Add(new ContactLabel { TenantId = ws.TenantId, WorkspaceId = ws.WorkspaceId, ContactId = contactId, LabelId = id });
    }

    public async Task<bool> DeleteAsync(Guid workspaceId, Guid contactId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var now = clock.GetUtcNow();
        return await db.Contacts.Where(c => c.Id == contactId && c.WorkspaceId == workspaceId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.DeletedAt, now).SetProperty(c => c.UpdatedAt, now), ct) > 0;
    }

    /// <summary>One page of the grid; <paramref name="ct"/> is the grid's token so a superseded request stops.</summary>
    public async Task<ContactPage> QueryAsync(Guid workspaceId, ContactFilter filter, int skip, int take, string? sortBy, bool descending, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var query = await FilteredAsync(db, workspaceId, filter, ct);
        var total = await query.CountAsync(ct);
        query = (sortBy, descending) switch
        {
            (nameof(ContactRow.Phone), false) => query.OrderBy(c => c.Phone),
            (nameof(ContactRow.Phone), true) => query.OrderByDescending(c => c.Phone),
            (nameof(ContactRow.CreatedAt), false) => query.OrderBy(c => c.CreatedAt),
            (nameof(ContactRow.CreatedAt), true) => query.OrderByDescending(c => c.CreatedAt),
            (nameof(ContactRow.Name), true) => query.OrderByDescending(c => c.Name),
            _ => query.OrderBy(c => c.Name),
        };
        var rows = await query.Skip(skip).Take(Math.Clamp(take, 1, 500))
            .Select(c => new ContactRow(c.Id, c.Name, c.Phone, c.Email, c.OptedOut, c.LastValidationStatus, c.LastValidatedAt, c.CreatedAt,
                db.ContactLabels.Where(l => l.ContactId == c.Id).Join(db.Labels, cl => cl.LabelId, l => l.Id, (cl, l) => l.Name).ToList()))
            .ToListAsync(ct);
        return new ContactPage(rows, total);
    }

    public async Task<int> CountAsync(Guid workspaceId, ContactFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await (await FilteredAsync(db, workspaceId, filter, ct)).CountAsync(ct);
    }

    /// <summary>The workspace's contacts that match the filter; field conditions get their field's type first.</summary>
    internal static async Task<IQueryable<Contact>> FilteredAsync(IKelolaDb db, Guid workspaceId, ContactFilter filter, CancellationToken ct)
    {
        if (filter.Fields.Count > 0)
        {
            var ids = filter.Fields.Select(f => f.FieldId).ToList();
            var types = await db.CustomFields.Where(f => ids.Contains(f.Id)).ToDictionaryAsync(f => f.Id, f => f.Type, ct);
            foreach (var condition in filter.Fields)
                condition.Type = types.GetValueOrDefault(condition.FieldId);
        }
        return filter.Apply(db.Contacts.AsNoTracking().Where(c => c.WorkspaceId == workspaceId), db);
    }

    internal static async Task<IQueryable<Contact>> SelectAsync(IKelolaDb db, Guid workspaceId, ContactSelection selection, CancellationToken ct)
    {
        if (selection.Ids is { } ids)
        {
            var list = ids.ToList();
            return db.Contacts.Where(c => c.WorkspaceId == workspaceId && list.Contains(c.Id));
        }
        return await FilteredAsync(db, workspaceId, selection.Filter ?? new ContactFilter(), ct);
    }

    /// <summary>Adds to a list, labels or deletes a selection or every row of a filter; returns the contacts affected.</summary>
    public async Task<int> BulkAsync(Guid workspaceId, ContactSelection selection, BulkAction action, Guid? targetId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var ws = await ContactWorkspace.LoadAsync(db, workspaceId, ct);
        if (ws is null)
            return 0;
        var contacts = await SelectAsync(db, workspaceId, selection, ct);
        var now = clock.GetUtcNow();
        switch (action)
        {
            case BulkAction.Delete:
                return await contacts.ExecuteUpdateAsync(s => s.SetProperty(c => c.DeletedAt, now).SetProperty(c => c.UpdatedAt, now), ct);
            case BulkAction.AddToList when targetId is { } listId && await db.ContactLists.AnyAsync(l => l.Id == listId && l.WorkspaceId == workspaceId, ct):
                var notInList = await contacts.Where(c => !db.ContactListMembers.Any(m => m.ContactId == c.Id && m.ContactListId == listId)).Select(c => c.Id).ToListAsync(ct);
                db.ContactListMembers.AddRange(notInList.Select(id => new ContactListMember { TenantId = ws.TenantId, WorkspaceId = workspaceId, ContactId = id, ContactListId = listId }));
                await db.SaveChangesAsync(ct);
                return notInList.Count;
            case BulkAction.RemoveFromList when targetId is { } listId:
                var ids = contacts.Select(c => c.Id);
                return await db.ContactListMembers.Where(m => m.ContactListId == listId && ids.Contains(m.ContactId)).ExecuteDeleteAsync(ct);
            case BulkAction.AddLabel when targetId is { } labelId && await db.Labels.AnyAsync(l => l.Id == labelId && l.WorkspaceId == workspaceId, ct):
                var unlabelled = await contacts.Where(c => !db.ContactLabels.Any(l => l.ContactId == c.Id && l.LabelId == labelId)).Select(c => c.Id).ToListAsync(ct);
                db.ContactLabels.AddRange(unlabelled.Select(id => new ContactLabel { TenantId = ws.TenantId, WorkspaceId = workspaceId, ContactId = id, LabelId = labelId }));
                await db.SaveChangesAsync(ct);
                return unlabelled.Count;
            default:
                return 0;
        }
    }
}

public enum BulkAction { AddToList, RemoveFromList, AddLabel, Delete }

/// <summary>Either explicit ids (the grid's selection) or every row of a filter.</summary>
public sealed record ContactSelection(IReadOnlyCollection<Guid>? Ids, ContactFilter? Filter)
{
    public static ContactSelection Of(IEnumerable<Guid> ids) => new(ids.ToList(), null);
    public static ContactSelection All(ContactFilter filter) => new(null, filter);
}

public sealed record ContactRow(Guid Id, string Name, string Phone, string? Email, bool OptedOut, ValidationStatus? LastValidationStatus,
    DateTimeOffset? LastValidatedAt, DateTimeOffset CreatedAt, List<string> Labels);

public sealed record ContactPage(IReadOnlyList<ContactRow> Items, int TotalCount);

public sealed record ContactError(string Property, string Message, string? Code = null);

public sealed record ContactSaveResult(bool Succeeded, bool IsNotFound, Guid? ContactId, IReadOnlyList<ContactError> Errors)
{
    public static ContactSaveResult Ok(Guid id) => new(true, false, id, []);
    public static ContactSaveResult NotFound() => new(false, true, null, [new ContactError("", ProblemText.Get("NotFound"), "NotFound")]);
    public static ContactSaveResult Invalid(IEnumerable<ContactError> errors) => new(false, false, null, errors.ToList());
}

/// <summary>What contact work needs to know about a workspace: its tenant, the tenant's phone region and custom fields.</summary>
public sealed record ContactWorkspace(Guid TenantId, Guid WorkspaceId, string Region, IReadOnlyList<CustomFieldDefinition> Fields)
{
    public ContactInputValidator Validator { get; } = new(new ContactValidationContext(Region, Fields));

    /// <summary>Null when the workspace does not exist for the context's tenant (another tenant's id included).</summary>
    public static async Task<ContactWorkspace?> LoadAsync(IKelolaDb db, Guid workspaceId, CancellationToken ct)
    {
        var ws = await db.Workspaces.AsNoTracking().Where(w => w.Id == workspaceId)
            .Select(w => new { w.TenantId, Region = db.Tenants.Where(t => t.Id == w.TenantId).Select(t => t.PhoneRegion).FirstOrDefault() })
            .FirstOrDefaultAsync(ct);
        if (ws is null)
            return null;
        var fields = await db.CustomFields.AsNoTracking().Where(f => f.TenantId == ws.TenantId).OrderBy(f => f.SortOrder).ThenBy(f => f.Label).ToListAsync(ct);
        return new ContactWorkspace(ws.TenantId, workspaceId, ws.Region ?? Tenancy.Tenant.DefaultRegion, fields);
    }
}
