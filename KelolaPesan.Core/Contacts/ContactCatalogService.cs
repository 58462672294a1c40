using System.Text.RegularExpressions;
using KelolaPesan.Core.Contacts.Import;
using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Contacts;

/// <summary>Lists and labels of a workspace, and the tenant's custom field definitions.</summary>
public sealed partial class ContactCatalogService(IKelolaDbFactory dbFactory)
{
    public async Task<IReadOnlyList<NamedCount>> ListsAsync(Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.ContactLists.AsNoTracking().Where(l => l.WorkspaceId == workspaceId).OrderBy(l => l.Name)
            .Select(l => new NamedCount(l.Id, l.Name, db.ContactListMembers.Count(m => m.ContactListId == l.Id && db.Contacts.Any(c => c.Id == m.ContactId)), null))
            .ToListAsync(ct);
    }

    public async Task<IReadOnlyList<NamedCount>> LabelsAsync(Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.Labels.AsNoTracking().Where(l => l.WorkspaceId == workspaceId).OrderBy(l => l.Name)
            .Select(l => new NamedCount(l.Id, l.Name, db.ContactLabels.Count(m => m.LabelId == l.Id && db.Contacts.Any(c => c.Id == m.ContactId)), l.Color))
            .ToListAsync(ct);
    }

    public async Task<CatalogResult> SaveListAsync(Guid workspaceId, Guid? id, string name, CancellationToken ct = default)
    {
        name = name.Trim();
        if (name.Length is 0 or > ContactList.NameMaxLength)
            return CatalogResult.Fail("Catalog_NameInvalid", ContactList.NameMaxLength);
        await using var db = await dbFactory.CreateAsync(ct);
        var ws = await ContactWorkspace.LoadAsync(db, workspaceId, ct);
        if (ws is null)
            return CatalogResult.Fail("NotFound");
        var normalized = NormalizedText.Of(name);
        if (await db.ContactLists.AnyAsync(l => l.WorkspaceId == workspaceId && l.NormalizedName == normalized && l.Id != id, ct))
            return CatalogResult.Fail("List_NameTaken", name);
        var list = id is null ? db.ContactLists.Add(new ContactList { TenantId = ws.TenantId, WorkspaceId = workspaceId }).Entity
            : await db.ContactLists.FirstOrDefaultAsync(l => l.Id == id && l.WorkspaceId == workspaceId, ct);
        if (list is null)
            return CatalogResult.Fail("NotFound");
        list.Name = name;
        await db.SaveChangesAsync(ct);
        return CatalogResult.Ok(list.Id);
    }

    public async Task<bool> DeleteListAsync(Guid workspaceId, Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        await db.ContactListMembers.Where(m => m.ContactListId == id && m.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        return await db.ContactLists.Where(l => l.Id == id && l.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct) > 0;
    }

    public async Task<CatalogResult> SaveLabelAsync(Guid workspaceId, Guid? id, string name, string color, CancellationToken ct = default)
    {
        name = name.Trim();
        if (name.Length is 0 or > Label.NameMaxLength)
            return CatalogResult.Fail("Catalog_NameInvalid", Label.NameMaxLength);
        await using var db = await dbFactory.CreateAsync(ct);
        var ws = await ContactWorkspace.LoadAsync(db, workspaceId, ct);
        if (ws is null)
            return CatalogResult.Fail("NotFound");
        var label = id is null ? db.Labels.Add(new Label { TenantId = ws.TenantId, WorkspaceId = workspaceId }).Entity
            : await db.Labels.FirstOrDefaultAsync(l => l.Id == id && l.WorkspaceId == workspaceId, ct);
        if (label is null)
            return CatalogResult.Fail("NotFound");
        label.Name = name;
        label.Color = ColorPattern().IsMatch(color) ? color : label.Color;
        await db.SaveChangesAsync(ct);
        return CatalogResult.Ok(label.Id);
    }

    public async Task<bool> DeleteLabelAsync(Guid workspaceId, Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        await db.ContactLabels.Where(m => m.LabelId == id && m.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        await db.ChatLabels.Where(m => m.LabelId == id && m.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        return await db.Labels.Where(l => l.Id == id && l.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct) > 0;
    }

    public async Task<IReadOnlyList<CustomFieldDefinition>> FieldsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.CustomFields.AsNoTracking().OrderBy(f => f.SortOrder).ThenBy(f => f.Label).ToListAsync(ct);
    }

    public async Task<CatalogResult> SaveFieldAsync(Guid tenantId, Guid? id, string key, string label, CustomFieldType type, string? choices, CancellationToken ct = default)
    {
        key = key.Trim().ToLowerInvariant();
        label = label.Trim();
        if (!KeyPattern().IsMatch(key) || key.Length > CustomFieldDefinition.KeyMaxLength)
            return CatalogResult.Fail("CustomField_KeyFormat");
        if (label.Length is 0 or > CustomFieldDefinition.LabelMaxLength)
            return CatalogResult.Fail("CustomField_LabelInvalid", CustomFieldDefinition.LabelMaxLength);
        if (ContactImportMapping.StandardTargets.Contains(key))
            return CatalogResult.Fail("CustomField_KeyReserved", key);
        if (type == CustomFieldType.Choice && string.IsNullOrWhiteSpace(choices))
            return CatalogResult.Fail("CustomField_ChoicesRequired");
        await using var db = await dbFactory.CreateAsync(ct);
        if (await db.CustomFields.AnyAsync(f => f.Key == key && f.Id != id, ct))
            return CatalogResult.Fail("CustomField_KeyTaken", key);
        var field = id is null ? db.CustomFields.Add(new CustomFieldDefinition { TenantId = tenantId, SortOrder = await db.CustomFields.CountAsync(ct) }).Entity
            : await db.CustomFields.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (field is null)
            return CatalogResult.Fail("NotFound");
        field.Key = key;
        field.Label = label;
        field.Type = type;
        field.Choices = type == CustomFieldType.Choice ? string.Join('\n', (choices ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) : null;
        await db.SaveChangesAsync(ct);
        return CatalogResult.Ok(field.Id);
    }

    public async Task<bool> DeleteFieldAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        await db.ContactFieldValues.Where(v => v.FieldId == id).ExecuteDeleteAsync(ct);
        return await db.CustomFields.Where(f => f.Id == id).ExecuteDeleteAsync(ct) > 0;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$")]
    private static partial Regex ColorPattern();
}

public sealed record NamedCount(Guid Id, string Name, int Count, string? Color);

public sealed record CatalogResult(bool Succeeded, Guid? Id, Problem? Problem)
{
    /// <summary>The problem's sentence in the current UI culture.</summary>
    public string? Error => Problem?.Text;
    public static CatalogResult Ok(Guid id) => new(true, id, null);
    public static CatalogResult Fail(string code, params object[] args) => new(false, null, Common.Problem.Of(code, args));
}
