using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Instagram;

public sealed record CommentReplyView(Guid Id, string AutomationName, CommentReplyStatus Status, string PrivateReplyMessage, string? Error,
    DateTimeOffset? SentAt, bool PublicReplied);

public sealed record CommentView(string CommentId, string CommenterId, string? CommenterUsername, string Text, string MediaId, string? MediaCaption,
    string? Permalink, DateTimeOffset CommentedAt, IReadOnlyList<CommentReplyView> Replies);

/// <summary>The latest comments of a workspace with what each automation did about them (in the signed-in tenant's scope).</summary>
public sealed class InstagramCommentFeed(IKelolaDbFactory dbFactory)
{
    public const int DefaultTake = 50;

    public async Task<IReadOnlyList<CommentView>> LatestAsync(Guid workspaceId, int take = DefaultTake, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var comments = await db.InstagramComments.AsNoTracking().Where(c => c.WorkspaceId == workspaceId)
            .OrderByDescending(c => c.CommentedAt).ThenByDescending(c => c.Id).Take(Math.Clamp(take, 1, 200))
            .Select(c => new { c.CommentId, c.CommenterId, c.CommenterUsername, c.Text, c.MediaId, c.CommentedAt }).ToListAsync(ct);
        var commentIds = comments.Select(c => c.CommentId).ToList();
        var mediaIds = comments.Select(c => c.MediaId).Distinct().ToList();
        var media = await db.InstagramMedia.AsNoTracking().Where(m => m.WorkspaceId == workspaceId && mediaIds.Contains(m.MediaId))
            .Select(m => new { m.MediaId, m.Caption, m.Permalink }).ToDictionaryAsync(m => m.MediaId, ct);
        // Deleted automations included: the replies they sent are history.
        var replies = (await (from r in db.CommentReplies
                              join a in db.CommentAutomations.IgnoreQueryFilters(["SoftDelete"]) on r.AutomationId equals a.Id
                              where r.WorkspaceId == workspaceId && commentIds.Contains(r.CommentId)
                              orderby r.CreatedAt
                              select new { r.CommentId, View = new CommentReplyView(r.Id, a.Name, r.Status, r.PrivateReplyMessage, r.Error, r.SentAt, r.PublicReplyId != null) })
                .ToListAsync(ct))
            .ToLookup(r => r.CommentId, r => r.View);
        return comments.Select(c => new CommentView(c.CommentId, c.CommenterId, c.CommenterUsername, c.Text, c.MediaId,
            media.GetValueOrDefault(c.MediaId)?.Caption, media.GetValueOrDefault(c.MediaId)?.Permalink, c.CommentedAt, replies[c.CommentId].ToList())).ToList();
    }
}
