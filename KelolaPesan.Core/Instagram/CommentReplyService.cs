using KelolaPesan.Core.Common;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Instagram;

/// <summary>
/// Comment-to-DM. A stored comment gets one CommentReply row per matching automation (unique per automation and
/// comment, so a redelivered comment is answered once), inserted before anything is sent. Queued rows go out
/// within Meta's limits: 7 days after the comment (later: Expired), 750 private replies per hour per account
/// (past it they wait for <see cref="SendDueAsync"/>), throttling backs off, permission and window errors fail
/// for good, an invalid token disconnects the account and its replies wait for the reconnect. A public reply refused
/// with throttling is retried with the same back-off (refused means not posted, so a retry cannot post twice).
/// </summary>
public sealed class CommentReplyService(
    IKelolaDbFactory dbFactory,
    IInstagramGraph graph,
    InstagramAccountService accounts,
    IRealtimeBus bus,
    LicenceStanding licences,
    TimeProvider clock,
    ILogger<CommentReplyService> logger)
{
    private const string ExpiredError = "Instagram_CommentExpired";

    private static bool Expired(DateTimeOffset commentedAt, DateTimeOffset now) => now - commentedAt > CommentAutomation.PrivateReplyWindow;

    public const int MaxAttempts = 6;

    /// <summary>Tries of a throttled public reply, counted on from the private reply's attempts.</summary>
    public const int MaxPublicReplyAttempts = 6;

    /// <summary>How long a claimed row is left alone by other senders while its call runs.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>Creates the replies of every matching automation, then sends what the hourly limit allows.</summary>
    public async Task OnCommentAsync(Guid tenantId, Guid workspaceId, string commentId, CancellationToken ct = default)
    {
        var created = false;
        await using (var db = dbFactory.CreateForTenant(tenantId))
        {
            var comment = await db.InstagramComments.AsNoTracking().FirstOrDefaultAsync(c => c.WorkspaceId == workspaceId && c.CommentId == commentId, ct);
            if (comment is null)
                return;
            var automations = await db.CommentAutomations.AsNoTracking().Where(a => a.WorkspaceId == workspaceId && a.IsActive).ToListAsync(ct);
            var matching = automations.Where(a => CommentAutomationMatcher.Matches(a, comment.MediaId, comment.Text)).ToList();
            if (matching.Count == 0)
                return;
            var ids = matching.Select(a => a.Id).ToList();
            var existing = await db.CommentReplies.Where(r => r.CommentId == commentId && ids.Contains(r.AutomationId)).Select(r => r.AutomationId).ToListAsync(ct);
            var expired = Expired(comment.CommentedAt, clock.GetUtcNow());
            foreach (var automation in matching.Where(a => !existing.Contains(a.Id)))
            {
                var reply = new CommentReply
                {
                    TenantId = tenantId, WorkspaceId = workspaceId, AutomationId = automation.Id, CommentId = commentId,
                    PrivateReplyMessage = Limit(CommentAutomationMatcher.Render(automation.PrivateReplyTemplate, comment.CommenterUsername), CommentReply.MessageMaxLength),
                    // Public replies go under top-level comments only.
                    PublicReplyText = automation.PublicReplyTemplate is { Length: > 0 } pub && comment.ParentCommentId is null
                        ? Limit(CommentAutomationMatcher.Render(pub, comment.CommenterUsername), CommentReply.MessageMaxLength) : null,
                    Status = expired ? CommentReplyStatus.Expired : CommentReplyStatus.Queued,
                    Error = expired ? ExpiredError : null,
                };
                db.CommentReplies.Add(reply);
                try
                {
                    await db.SaveChangesAsync(ct);
                    created = true;
                }
                catch (DbUpdateException)
                {
                    // The unique (automation, comment) index: a redelivery created it meanwhile.
                    db.CommentReplies.Entry(reply).State = EntityState.Detached;
                }
            }
        }
        if (created)
            await bus.PublishAsync(Topics.Workspace(workspaceId), new InstagramCommentsChanged(tenantId, workspaceId));
        await SendQueuedAsync(tenantId, workspaceId, ct);
    }

    /// <summary>Every workspace with queued replies that are due (run by the background sender).</summary>
    public async Task<int> SendDueAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        List<(Guid TenantId, Guid WorkspaceId)> workspaces;
        await using (var system = dbFactory.CreateSystem())
        {
            workspaces = (await system.CommentReplies.AsNoTracking()
                    .Where(r => (r.Status == CommentReplyStatus.Queued && (r.NextAttemptAt == null || r.NextAttemptAt <= now))
                                || (r.Status == CommentReplyStatus.Sent && r.PublicReplyText != null && r.PublicReplyId == null
                                    && r.NextAttemptAt != null && r.NextAttemptAt <= now))
                    .Select(r => new { r.TenantId, r.WorkspaceId }).Distinct().ToListAsync(ct))
                .Select(r => (r.TenantId, r.WorkspaceId)).ToList();
        }
        var sent = 0;
        foreach (var (tenantId, workspaceId) in workspaces)
            sent += await SendQueuedAsync(tenantId, workspaceId, ct);
        return sent;
    }

    /// <summary>Sends the workspace's due queued replies, oldest first, as far as the hourly limit allows; returns how many went out.</summary>
    public async Task<int> SendQueuedAsync(Guid tenantId, Guid workspaceId, CancellationToken ct = default)
    {
        // A suspended or expired tenant's replies wait, queued, within Meta's 7 days: they go once it is reactivated.
        if (!await licences.IsUsableAsync(tenantId, ct))
            return 0;
        var sent = 0;
        var changed = false;
        try
        {
            await using var db = dbFactory.CreateForTenant(tenantId);
            var account = await db.InstagramAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.WorkspaceId == workspaceId, ct);
            if (account is null || accounts.ReadToken(account) is not { } token)
                return 0;
            var now = clock.GetUtcNow();
            // Public replies do not count against the private replies' hourly limit.
            changed |= await RetryPublicRepliesAsync(db, workspaceId, token, now, ct);
            var used = await db.CommentReplies.CountAsync(r => r.WorkspaceId == workspaceId && r.LastAttemptAt > now - TimeSpan.FromHours(1), ct);
            var budget = CommentAutomation.PrivateRepliesPerHour - used;
            if (budget <= 0)
                return 0;
            var due = await (from r in db.CommentReplies
                             join c in db.InstagramComments on new { r.WorkspaceId, r.CommentId } equals new { c.WorkspaceId, c.CommentId }
                             where r.WorkspaceId == workspaceId && r.Status == CommentReplyStatus.Queued && (r.NextAttemptAt == null || r.NextAttemptAt <= now)
                             orderby r.CreatedAt, r.Id
                             select new { r.Id, r.NextAttemptAt, c.CommentedAt })
                .Take(budget).ToListAsync(ct);
            foreach (var row in due)
            {
                if (Expired(row.CommentedAt, now))
                {
                    await db.CommentReplies.Where(r => r.Id == row.Id && r.Status == CommentReplyStatus.Queued).ExecuteUpdateAsync(s => s
                        .SetProperty(r => r.Status, CommentReplyStatus.Expired)
                        .SetProperty(r => r.Error, ExpiredError), ct);
                    changed = true;
                    continue;
                }
                // Claimed by one conditional update, so the webhook path and the sweep never both send it.
                var claimed = await db.CommentReplies.Where(r => r.Id == row.Id && r.Status == CommentReplyStatus.Queued && r.NextAttemptAt == row.NextAttemptAt)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(r => r.NextAttemptAt, now + Lease)
                        .SetProperty(r => r.LastAttemptAt, now)
                        .SetProperty(r => r.Attempts, r => r.Attempts + 1), ct);
                if (claimed != 1)
                    continue;
                changed = true;
                var outcome = await SendOneAsync(db, account, token, row.Id, ct);
                if (outcome == SendOutcome.Sent)
                    sent++;
                else if (outcome == SendOutcome.StopAccount)
                    break;
            }
        }
        finally
        {
            if (changed)
                await bus.PublishAsync(Topics.Workspace(workspaceId), new InstagramCommentsChanged(tenantId, workspaceId));
        }
        return sent;
    }

    private enum SendOutcome { Sent, Later, Failed, StopAccount }

    private async Task<SendOutcome> SendOneAsync(IKelolaDb db, InstagramAccount account, string token, Guid replyId, CancellationToken ct)
    {
        var reply = await db.CommentReplies.FirstAsync(r => r.Id == replyId, ct);
        var now = clock.GetUtcNow();
        try
        {
            reply.ExternalMessageId = await graph.SendPrivateReplyAsync(token, account.InstagramUserId, reply.CommentId, reply.PrivateReplyMessage, CancellationToken.None);
            reply.Status = CommentReplyStatus.Sent;
            reply.SentAt = clock.GetUtcNow();
            reply.NextAttemptAt = null;
            reply.Error = null;
        }
        catch (InstagramGraphException ex)
        {
            var outcome = Apply(reply, ex, now);
            await db.SaveChangesAsync(CancellationToken.None);
            if (ex.Kind == InstagramGraphErrorKind.TokenInvalid)
                await accounts.MarkTokenInvalidAsync(account.Id, ex.GraphMessage, CancellationToken.None);
            return outcome;
        }
        await db.SaveChangesAsync(CancellationToken.None);

        if (reply.PublicReplyText is { Length: > 0 })
            await SendPublicReplyAsync(db, token, reply, now);
        return SendOutcome.Sent;
    }

    /// <summary>Sent private replies whose public reply was throttled and whose back-off is over, claimed like the queue's rows.</summary>
    private async Task<bool> RetryPublicRepliesAsync(IKelolaDb db, Guid workspaceId, string token, DateTimeOffset now, CancellationToken ct)
    {
        var due = await db.CommentReplies.AsNoTracking()
            .Where(r => r.WorkspaceId == workspaceId && r.Status == CommentReplyStatus.Sent && r.PublicReplyText != null && r.PublicReplyId == null
                        && r.NextAttemptAt != null && r.NextAttemptAt <= now)
            .OrderBy(r => r.NextAttemptAt).Select(r => new { r.Id, r.NextAttemptAt }).Take(100).ToListAsync(ct);
        var changed = false;
        foreach (var row in due)
        {
            var claimed = await db.CommentReplies.Where(r => r.Id == row.Id && r.PublicReplyId == null && r.NextAttemptAt == row.NextAttemptAt)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.NextAttemptAt, now + Lease).SetProperty(r => r.Attempts, r => r.Attempts + 1), ct);
            if (claimed != 1)
                continue;
            changed = true;
            var reply = await db.CommentReplies.FirstAsync(r => r.Id == row.Id, ct);
            if (!await SendPublicReplyAsync(db, token, reply, now))
                break;
        }
        return changed;
    }

    /// <summary>
    /// The public reply under the comment. Throttling (the call was refused, nothing posted) waits for a back-off and is
    /// retried; any other failure is final, since a call that may have arrived must not post twice. False when throttled.
    /// </summary>
    private async Task<bool> SendPublicReplyAsync(IKelolaDb db, string token, CommentReply reply, DateTimeOffset now)
    {
        var throttled = false;
        try
        {
            reply.PublicReplyId = await graph.ReplyToCommentAsync(token, reply.CommentId, reply.PublicReplyText!, CancellationToken.None);
            reply.NextAttemptAt = null;
            reply.Error = null;
        }
        catch (InstagramGraphException ex)
        {
            logger.LogWarning(ex, "Public reply to comment {CommentId} failed", reply.CommentId);
            throttled = ex.Kind == InstagramGraphErrorKind.Throttled;
            var retry = throttled && reply.Attempts < MaxAttempts + MaxPublicReplyAttempts;
            reply.NextAttemptAt = retry ? now + BackOff(reply.Attempts) : null;
            reply.Error = Limit(ProblemText.Store(Problem.Of(retry ? "Instagram_PublicReplyThrottled" : "Instagram_PublicReplyFailed").WithDetail(ex.GraphMessage)), 1000);
        }
        await db.SaveChangesAsync(CancellationToken.None);
        return !throttled;
    }

    /// <summary>Exponential back-off from one minute, at most an hour.</summary>
    private static TimeSpan BackOff(int attempts) => TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, Math.Max(0, attempts - 1))));

    /// <summary>INSTAGRAM.md's error table, applied to a reply row.</summary>
    private static SendOutcome Apply(CommentReply reply, InstagramGraphException ex, DateTimeOffset now)
    {
        reply.Error = Limit(ProblemText.Store(Problem.Of("Instagram_PrivateReplyFailed").WithDetail(ex.GraphMessage)), 1000);
        switch (ex.Kind)
        {
            case InstagramGraphErrorKind.Throttled:
            case InstagramGraphErrorKind.Transient when reply.Attempts < MaxAttempts:
                // The row stays queued.
                reply.NextAttemptAt = now + BackOff(reply.Attempts);
                return ex.Kind == InstagramGraphErrorKind.Throttled ? SendOutcome.StopAccount : SendOutcome.Later;
            case InstagramGraphErrorKind.TokenInvalid:
                // Waits for the owner to reconnect, not for a clock: without a token nothing is sent, and the reconnect
                // sends it at once (CommentReplyQueueSignal). The 7-day limit expires it if the reconnect never comes.
                reply.NextAttemptAt = null;
                reply.Error = Limit(ProblemText.Store(Problem.Of("Instagram_ReconnectNeeded").WithDetail(ex.GraphMessage)), 1000);
                return SendOutcome.StopAccount;
            default:
                reply.Status = CommentReplyStatus.Failed;
                reply.NextAttemptAt = null;
                return SendOutcome.Failed;
        }
    }

    private static string Limit(string value, int max) => value.Length <= max ? value : value[..max];
}
