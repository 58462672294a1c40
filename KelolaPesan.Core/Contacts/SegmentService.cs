using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Contacts;

/// <summary>Saved contact filters by name; <see cref="QueryContacts"/> is the audience a broadcast sends to.</summary>
public sealed class SegmentService(IKelolaDbFactory dbFactory)
{
    public async Task<IReadOnlyList<Segment>> ListAsync(Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.Segments.AsNoTracking().Where(s => s.WorkspaceId == workspaceId).OrderBy(s => s.Name).ToListAsync(ct);
    }

    public async Task<Segment?> GetAsync(Guid segmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.Segments.AsNoTracking().FirstOrDefaultAsync(s => s.Id == segmentId, ct);
    }

    public async Task<CatalogResult> SaveAsync(Guid workspaceId, Guid? segmentId, string name, ContactFilter filter, CancellationToken ct = default)
    {
        name = name.Trim();
        if (name.Length is 0 or > Segment.NameMaxLength)
            return CatalogResult.Fail("Catalog_NameInvalid", Segment.NameMaxLength);
        await using var db = await dbFactory.CreateAsync(ct);
        var ws = await ContactWorkspace.LoadAsync(db, workspaceId, ct);
        if (ws is null)
            return CatalogResult.Fail("NotFound");
        // The unique index would fail the save with an exception that ended the page (the filter being built lost).
        var normalized = NormalizedText.Of(name);
        if (await db.Segments.AnyAsync(s => s.WorkspaceId == workspaceId && s.NormalizedName == normalized && s.Id != segmentId, ct))
            return CatalogResult.Fail("Segment_NameTaken", name);
        var segment = segmentId is null ? db.Segments.Add(new Segment { TenantId = ws.TenantId, WorkspaceId = workspaceId }).Entity
            : await db.Segments.FirstOrDefaultAsync(s => s.Id == segmentId && s.WorkspaceId == workspaceId, ct);
        if (segment is null)
            return CatalogResult.Fail("NotFound");
        var saved = filter.Clone();
        saved.Search = null;
        segment.Name = name;
        segment.FilterJson = saved.ToJson();
        segment.LastCount = await (await ContactService.FilteredAsync(db, workspaceId, saved, ct)).CountAsync(ct);
        await db.SaveChangesAsync(ct);
        return CatalogResult.Ok(segment.Id);
    }

    public async Task<bool> DeleteAsync(Guid workspaceId, Guid segmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.Segments.Where(s => s.Id == segmentId && s.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct) > 0;
    }

    /// <summary>The live count of the builder.</summary>
    public async Task<int> CountAsync(Guid workspaceId, ContactFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await (await ContactService.FilteredAsync(db, workspaceId, filter, ct)).CountAsync(ct);
    }

    /// <summary>
    /// The segment's contacts as a query over <paramref name="db"/> (the caller's context, so a broadcast can page or
    /// project it). Opted-out contacts are part of it; the sender decides to skip them.
    /// </summary>
    public static Task<IQueryable<Contact>> QueryContacts(IKelolaDb db, Segment segment, CancellationToken ct = default) =>
        ContactService.FilteredAsync(db, segment.WorkspaceId, ContactFilter.FromJson(segment.FilterJson), ct);

    public async Task<IReadOnlyList<Guid>> ContactIdsAsync(Guid segmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var segment = await db.Segments.AsNoTracking().FirstOrDefaultAsync(s => s.Id == segmentId, ct);
        if (segment is null)
            return [];
        return await (await QueryContacts(db, segment, ct)).Select(c => c.Id).ToListAsync(ct);
    }
}
