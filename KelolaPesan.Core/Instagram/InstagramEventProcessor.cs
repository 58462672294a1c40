using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Instagram;

/// <summary>
/// Processes one stored Instagram webhook from its row: each entry goes to the workspace whose connected account
/// it names (unknown accounts are recorded and ignored); comments are stored once and handed to the automations,
/// DMs go into the inbox. Own comments and echoes are dropped, or a reply containing its keyword would loop.
/// Processing again is a no-op: comments are unique by id, messages by mid, replies by (automation, comment).
/// </summary>
public sealed class InstagramEventProcessor(
    IKelolaDbFactory dbFactory,
    InboundMessageService inbound,
    CommentReplyService replies,
    IRealtimeBus bus,
    TimeProvider clock,
    ILogger<InstagramEventProcessor> logger)
{
    public const int MaxAttempts = 5;

    public async Task<IReadOnlyList<Guid>> PendingAsync(TimeSpan olderThan, int max, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var before = now - olderThan;
        await using var db = dbFactory.CreateSystem();
        return await db.InboundWebhookEvents.AsNoTracking()
            .Where(e => e.Source == WebhookSource.Instagram && e.ProcessedAt == null && e.Attempts < MaxAttempts && e.ReceivedAt <= before
                        && (e.ClaimedUntil == null || e.ClaimedUntil <= now))
            .OrderBy(e => e.ReceivedAt)
            .Select(e => e.Id)
            .Take(max)
            .ToListAsync(ct);
    }

    public async Task ProcessAsync(Guid eventId, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateSystem();
        // Claimed like the WhatsApp events (docs/adr/0017): one node applies it, another takes it over only after the lease.
        var now = clock.GetUtcNow();
        var until = now + WhatsAppEventProcessor.ClaimLease;
        var token = Guid.CreateVersion7();
        if (await db.InboundWebhookEvents.Where(e => e.Id == eventId && e.Source == WebhookSource.Instagram && e.ProcessedAt == null
                                                      && (e.ClaimedUntil == null || e.ClaimedUntil <= now))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ClaimedUntil, until).SetProperty(e => e.ClaimToken, token), ct) != 1)
            return;
        if (await db.InboundWebhookEvents.FirstOrDefaultAsync(e => e.Id == eventId && e.Source == WebhookSource.Instagram, ct) is not { ProcessedAt: null } row
            || row.ClaimToken != token)
            return;
        string? error = null;
        try
        {
            error = await HandleAsync(row, ct);
        }
        catch (WebhookPayloadException ex)
        {
            error = ex.Message;
            row.Attempts = MaxAttempts - 1;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Processing Instagram event {EventId} failed", row.Id);
            error = ex.Message;
        }
        row.Attempts++;
        row.Error = error is null ? row.Error : (error.Length > 2000 ? error[..2000] : error);
        row.ClaimedUntil = null;
        if (error is null)
            row.ProcessedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>Returns null when done (notes about ignored entries go on the row), or why it must be tried again.</summary>
    private async Task<string?> HandleAsync(InboundWebhookEvent row, CancellationToken ct)
    {
        var items = InstagramWebhookParser.Parse(row.Payload);
        var notes = new List<string>();
        foreach (var group in items.GroupBy(i => i.AccountId))
        {
            var account = await FindAccountAsync(group.Key, ct);
            if (account is null)
            {
                notes.Add($"No connected workspace for Instagram account {group.Key}; {group.Count()} item(s) ignored.");
                continue;
            }
            row.TenantId ??= account.TenantId;
            row.WorkspaceId ??= account.WorkspaceId;
            foreach (var item in group)
            {
                switch (item)
                {
                    case InstagramCommentItem comment:
                        await HandleCommentAsync(account, comment, ct);
                        break;
                    case InstagramDirectItem { IsEcho: false } direct when direct.SenderId != account.InstagramUserId:
                        await inbound.HandleInstagramAsync(account.TenantId, account.WorkspaceId, direct, ct);
                        break;
                }
            }
        }
        row.Error = notes.Count > 0 ? string.Join(" ", notes) : null;
        return null;
    }

    private async Task<InstagramAccount?> FindAccountAsync(string instagramUserId, CancellationToken ct)
    {
        await using var db = dbFactory.CreateSystem();
        return await db.InstagramAccounts.AsNoTracking()
            .Where(a => a.InstagramUserId == instagramUserId)
            .OrderBy(a => a.Status).ThenByDescending(a => a.ConnectedAt)
            .FirstOrDefaultAsync(ct);
    }

    private async Task HandleCommentAsync(InstagramAccount account, InstagramCommentItem item, CancellationToken ct)
    {
        // Our own comments (public replies included) are never stored or answered: no reply loops.
        if (item.FromId == account.InstagramUserId)
            return;
        var stored = false;
        await using (var db = dbFactory.CreateForTenant(account.TenantId))
        {
            if (!await db.InstagramComments.AnyAsync(c => c.WorkspaceId == account.WorkspaceId && c.CommentId == item.CommentId, ct))
            {
                db.InstagramComments.Add(new InstagramComment
                {
                    TenantId = account.TenantId, WorkspaceId = account.WorkspaceId, CommentId = item.CommentId, MediaId = item.MediaId,
                    ParentCommentId = item.ParentId, CommenterId = item.FromId, CommenterUsername = item.FromUsername,
                    Text = item.Text.Length > InstagramComment.TextMaxLength ? item.Text[..InstagramComment.TextMaxLength] : item.Text,
                    WebhookPayload = item.Payload, CommentedAt = item.Time ?? clock.GetUtcNow(),
                });
                try
                {
                    await db.SaveChangesAsync(ct);
                    stored = true;
                }
                catch (DbUpdateException)
                {
                    // The unique (workspace, comment id) index: a concurrent redelivery stored it.
                }
            }
        }
        if (stored)
            await bus.PublishAsync(Topics.Workspace(account.WorkspaceId), new InstagramCommentsChanged(account.TenantId, account.WorkspaceId));
        // Even for a redelivered comment: the unique reply rows make this a no-op once done, and it finishes a run a crash cut short.
        await replies.OnCommentAsync(account.TenantId, account.WorkspaceId, item.CommentId, ct);
    }
}
