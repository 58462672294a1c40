using System.Collections.Concurrent;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>One send: the conditional claim, the gateway call (text or media), and what the budget and counters record after it.</summary>
public sealed partial class BroadcastDispatcher
{
    private sealed record Claimed(Guid Id, string Phone, string Text, bool OptedOut, KnownRegistration? Known = null);

    internal sealed record Candidate(Guid Id, string Phone, string Text, Guid? ContactId = null, KnownRegistration? Known = null);

    /// <summary>
    /// The next pending recipient of the broadcast, moved to Sending by a conditional UPDATE that only succeeds while it
    /// is still Pending and its contact has not opted out; a row whose contact opted out comes back marked so.
    /// </summary>
    private async Task<Claimed?> ClaimAsync(IKelolaDb db, DispatchContext context, Guid broadcastId, DateTimeOffset now, RunState state, CancellationToken ct)
    {
        while (true)
        {
            if (!state.Next.TryGetValue(broadcastId, out var queue) || queue.Count == 0)
            {
                var page = await db.BroadcastRecipients.AsNoTracking().Where(r => r.BroadcastId == broadcastId && r.Status == RecipientStatus.Pending)
                    .OrderBy(r => r.Sequence).Take(PrefetchSize).Select(r => new Candidate(r.Id, r.Phone, r.RenderedText, r.ContactId, null)).ToListAsync(ct);
                if (page.Count == 0)
                {
                    // Nothing pending but a row left Sending (not one awaiting its history check): a send whose result was
                    // never written, left when this run started because another node held the workspace's recovery. The
                    // next run (after LeftSendingRetry) reconciles it.
                    state.LeftSending = await db.BroadcastRecipients.AnyAsync(r => r.BroadcastId == broadcastId && r.Status == RecipientStatus.Sending
                                                                                 && (r.Error == null || r.Error != AwaitingCheck), ct);
                    // The stored counter said there was work; it was cancelled or claimed meanwhile. Re-align it.
                    var pending = await db.BroadcastRecipients.CountAsync(r => r.BroadcastId == broadcastId && (r.Status == RecipientStatus.Pending || r.Status == RecipientStatus.Sending), ct);
                    await db.Broadcasts.Where(b => b.Id == broadcastId).ExecuteUpdateAsync(s => s.SetProperty(b => b.PendingCount, pending), ct);
                    return null;
                }
                state.Next[broadcastId] = queue = new Queue<Candidate>(await WithKnownRegistrationAsync(db, context, page, ct));
            }
            var next = queue.Dequeue();
            // Conditional: only the runner that moves it from Pending owns it; an opted-out contact is never claimed.
            bool won;
            using (await WriteTurnAsync(db, ct))
            {
                won = await db.BroadcastRecipients
                    .Where(r => r.Id == next.Id && r.Status == RecipientStatus.Pending && (r.ContactId == null || !db.Contacts.Any(c => c.Id == r.ContactId && c.OptedOut)))
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RecipientStatus.Sending).SetProperty(r => r.SendingAt, now).SetProperty(r => r.Attempts, r => r.Attempts + 1), ct) == 1;
            }
            if (won)
                return new Claimed(next.Id, next.Phone, next.Text, false, next.Known);
            var row = await db.BroadcastRecipients.AsNoTracking().Where(r => r.Id == next.Id)
                .Select(r => new { r.Status, OptedOut = r.ContactId != null && db.Contacts.Any(c => c.Id == r.ContactId && c.OptedOut) }).FirstOrDefaultAsync(ct);
            if (row is { Status: RecipientStatus.Pending, OptedOut: true })
                return new Claimed(next.Id, next.Phone, next.Text, true);
            // Taken, cancelled or skipped meanwhile: the next one.
        }
    }

    /// <summary>
    /// On a single-writer database, a turn among the process's hot writers for a send's claim and result: the webhook
    /// path's batches hold SQLite's write lock for longer than a send's write, and a writer waiting in the busy handler
    /// sleeps in growing steps, so the paced sends fell behind their plan (docs/adr/0033).
    /// </summary>
    private async Task<IDisposable?> WriteTurnAsync(IKelolaDb db, CancellationToken ct) => db.SingleWriter ? await gate.EnterAsync(ct) : null;

    private async Task<string> SendAsync(DispatchContext context, RunningBroadcast broadcast, Claimed claim, CancellationToken ct)
    {
        var to = claim.Phone.TrimStart('+');
        if (broadcast.AttachmentId is not { } attachmentId)
            return await gateway.SendTextAsync(new GatewayTextMessage(context.Session ?? "", to, claim.Text), ct);

        await using var db = dbFactory.CreateForTenant(context.TenantId);
        var attachment = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == attachmentId, ct)
            ?? throw new ArgumentException("The attachment of this broadcast was deleted.");
        await using var stream = await attachments.OpenReadAsync(attachment.StorageKey, ct) ?? throw new IOException("The attachment file is missing.");
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        var kind = attachment.MimeType.StartsWith("image/", StringComparison.Ordinal) ? GatewayMediaKind.Image : GatewayMediaKind.File;
        return await gateway.SendMediaAsync(new GatewayMediaMessage(context.Session ?? "", to, kind, attachment.MimeType, attachment.OriginalFileName, claim.Text, Data: buffer.ToArray()), ct);
    }

    /// <summary>After a send: the budget counts it, and the next send waits the random delay, or the rest after a full batch (the caller writes it).</summary>
    private static DateTimeOffset Spend(WorkspaceSendBudget budget, RunningBroadcast b, DateTimeOffset now)
    {
        budget.SentToday++;
        budget.SentInBatch++;
        budget.FailureStreak = 0;
        TimeSpan wait;
        if (budget.SentInBatch >= Math.Max(1, b.BatchSize))
        {
            budget.SentInBatch = 0;
            wait = TimeSpan.FromSeconds(b.BatchRestSeconds);
        }
        else
        {
            wait = TimeSpan.FromSeconds(Random.Shared.Next(b.MinDelaySeconds, Math.Max(b.MinDelaySeconds, b.MaxDelaySeconds) + 1));
        }
        budget.NextSendAt = now + wait;
        return budget.NextSendAt.Value;
    }

    private async Task<DateTimeOffset> BackOffAsync(IKelolaDb db, WorkspaceSendBudget budget, TimeSpan? retryAfter, DateTimeOffset now, CancellationToken ct)
    {
        budget.FailureStreak++;
        var wait = retryAfter ?? TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, 2 * Math.Pow(2, Math.Min(budget.FailureStreak - 1, 10))));
        budget.NextSendAt = now + wait;
        await db.SaveChangesAsync(ct);
        return budget.NextSendAt.Value;
    }

    private async Task BackToPendingAsync(IKelolaDb db, Guid recipientId, Guid broadcastId, string error, CancellationToken ct)
    {
        // The stored pending count includes a recipient being sent, so going back changes no counter.
        await db.BroadcastRecipients.Where(r => r.Id == recipientId && r.Status == RecipientStatus.Sending).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, RecipientStatus.Pending).SetProperty(r => r.Error, Limit(error, 1000)), ct);
    }

    private static Task CountAsync(IKelolaDb db, Guid broadcastId, int pending = 0, int sent = 0, int failed = 0, int skipped = 0, int uncertain = 0, CancellationToken ct = default) =>
        db.Broadcasts.Where(b => b.Id == broadcastId).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.PendingCount, b => b.PendingCount + pending)
            .SetProperty(b => b.SentCount, b => b.SentCount + sent)
            .SetProperty(b => b.FailedCount, b => b.FailedCount + failed)
            .SetProperty(b => b.SkippedCount, b => b.SkippedCount + skipped)
            .SetProperty(b => b.UncertainCount, b => b.UncertainCount + uncertain), ct);
}
