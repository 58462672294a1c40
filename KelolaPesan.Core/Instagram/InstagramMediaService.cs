using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Instagram;

public enum InstagramMediaError { None, NotConnected, TokenInvalid, Throttled, Permission, Failed }

public sealed record InstagramMediaResult(IReadOnlyList<InstagramMediaItem> Items, string? After, InstagramMediaError Error = InstagramMediaError.None, string? Detail = null);

/// <summary>
/// The media browser: pages straight from Graph (the account's own order and cursors) and caches every item it sees in
/// <see cref="InstagramMedia"/>, which automations pick posts from.
/// </summary>
public sealed class InstagramMediaService(IKelolaDbFactory dbFactory, IInstagramGraph graph, InstagramAccountService accounts)
{
    public async Task<InstagramMediaResult> GetPageAsync(Guid workspaceId, string? after, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var account = await db.InstagramAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.WorkspaceId == workspaceId, ct);
        if (account is null || accounts.ReadToken(account) is not { } token)
            return new([], null, InstagramMediaError.NotConnected);

        InstagramMediaPage page;
        try
        {
            page = await graph.GetMediaPageAsync(token, account.InstagramUserId, after, ct);
        }
        catch (InstagramGraphException ex)
        {
            if (ex.Kind == InstagramGraphErrorKind.TokenInvalid)
                await accounts.MarkTokenInvalidAsync(account.Id, ex.GraphMessage, ct);
            return new([], null, ex.Kind switch
            {
                InstagramGraphErrorKind.TokenInvalid => InstagramMediaError.TokenInvalid,
                InstagramGraphErrorKind.Throttled => InstagramMediaError.Throttled,
                InstagramGraphErrorKind.Permission => InstagramMediaError.Permission,
                _ => InstagramMediaError.Failed,
            }, ex.GraphMessage);
        }

        await CacheAsync(db, account, page.Items, ct);
        return new(page.Items, page.After);
    }

    /// <summary>The cached posts of a workspace, newest first (for automations' post pickers).</summary>
    public async Task<IReadOnlyList<InstagramMedia>> ListCachedAsync(Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.InstagramMedia.AsNoTracking().Where(m => m.WorkspaceId == workspaceId)
            .OrderByDescending(m => m.PostedAt).ToListAsync(ct);
    }

    private static async Task CacheAsync(IKelolaDb db, InstagramAccount account, IReadOnlyList<InstagramMediaItem> items, CancellationToken ct)
    {
        var ids = items.Select(i => i.Id).ToList();
        var cached = await db.InstagramMedia.Where(m => m.WorkspaceId == account.WorkspaceId && ids.Contains(m.MediaId)).ToDictionaryAsync(m => m.MediaId, ct);
        foreach (var item in items)
        {
            if (!cached.TryGetValue(item.Id, out var row))
            {
                row = new InstagramMedia { TenantId = account.TenantId, WorkspaceId = account.WorkspaceId, MediaId = item.Id };
                db.InstagramMedia.Add(row);
            }
            row.Caption = item.Caption is { Length: > 2200 } c ? c[..2200] : item.Caption;
            row.Permalink = item.Permalink is { Length: <= 2000 } p ? p : null;
            row.MediaType = item.MediaType is { Length: <= 40 } t ? t : null;
            row.ThumbnailUrl = item.PreviewUrl is { Length: <= 2000 } u ? u : null;
            row.CommentsCount = item.CommentsCount;
            row.PostedAt = item.Timestamp;
        }
        await db.SaveChangesAsync(ct);
    }
}
