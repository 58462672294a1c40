using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>The dispatcher after a crash or a timeout: sends that may have gone out are looked up in the chat history, never resent blindly.</summary>
public sealed partial class BroadcastDispatcher
{
    /// <summary>How long one node may hold a workspace's recovery (history look-ups included) before another may take it over.</summary>
    public static readonly TimeSpan RecoveryLease = TimeSpan.FromMinutes(5);

    /// <summary>When a queue whose only work is rows left Sending, recovered by another node right now, looks again.</summary>
    public static readonly TimeSpan LeftSendingRetry = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Recovery keyed on what is stored, not on what this process remembers: the workspace's "needs reconciliation"
    /// mark, or recipients left Sending. One run of a workspace's queue at a time (its Quartz job is not concurrent,
    /// clustered across nodes), so a row found Sending when a run starts was left by a run that ended without writing
    /// its result (a crash, a database fault): whichever node runs the queue next reconciles it. The recovery itself
    /// is taken with a lease on today's budget row, so two nodes never reconcile the same workspace at once.
    /// </summary>
    private async Task RecoverIfNeededAsync(IKelolaDb db, DispatchContext context, WorkspaceSendBudget budget, CancellationToken ct)
    {
        // Both probes were read with the workspace at the start of this run (LoadContextAsync).
        if (!context.NeedsRecovery && !context.AnyLeftSending)
            return;
        var now = clock.GetUtcNow();
        var lease = WholeMilliseconds(now + RecoveryLease);
        if (await db.SendBudgets.Where(b => b.Id == budget.Id && (b.RecoveryLeaseUntil == null || b.RecoveryLeaseUntil <= now))
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.RecoveryLeaseUntil, lease), ct) != 1)
            return;
        try
        {
            // Cleared before the work: a mark set while it runs (a resume, a failed run) is seen by the next run.
            await db.SendBudgets.Where(b => b.WorkspaceId == context.WorkspaceId && b.NeedsRecovery)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.NeedsRecovery, false), ct);
            await RecoverAsync(context.TenantId, context.WorkspaceId, ct);
        }
        finally
        {
            await db.SendBudgets.Where(b => b.Id == budget.Id && b.RecoveryLeaseUntil == lease)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.RecoveryLeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
        }
    }

    /// <summary>Stores the mark after a run failed past a gateway call; best effort (the database may be what failed), the Sending row itself also tells.</summary>
    private async Task MarkForRecoveryAsync(DispatchContext context)
    {
        try
        {
            await using var db = dbFactory.CreateForTenant(context.TenantId);
            await db.SendBudgets.Where(b => b.WorkspaceId == context.WorkspaceId).ExecuteUpdateAsync(s => s.SetProperty(b => b.NeedsRecovery, true));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Marking workspace {WorkspaceId} for recovery failed", context.WorkspaceId);
        }
    }

    /// <summary>
    /// Writes the run's budget in full, except the recovery mark and lease, which other nodes set with their own
    /// statements and a stale copy here must not undo.
    /// </summary>
    private static void UpdateBudget(IKelolaDb db, WorkspaceSendBudget budget)
    {
        db.SendBudgets.Update(budget);
        var entry = db.SendBudgets.Entry(budget);
        entry.Property(b => b.NeedsRecovery).IsModified = false;
        entry.Property(b => b.RecoveryLeaseUntil).IsModified = false;
    }

    /// <summary>Whole milliseconds: a lease is compared for equality when released, and PostgreSQL keeps microseconds.</summary>
    internal static DateTimeOffset WholeMilliseconds(DateTimeOffset value) =>
        new(value.UtcTicks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    /// <summary>
    /// Start-up and resume: every recipient of the workspace left Sending (by a crash, not by a timeout being checked)
    /// becomes Uncertain, and every Uncertain one is looked up in the chat history: found, it is Sent with that id;
    /// not found, it stays Uncertain for the manager. Never resent here.
    /// </summary>
    public async Task<int> RecoverAsync(Guid tenantId, Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateForTenant(tenantId);
        var left = await RecipientQueries.InStatus(db, workspaceId, RecipientStatus.Sending).Where(r => r.Error == null || r.Error != AwaitingCheck)
            .GroupBy(r => r.BroadcastId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        foreach (var group in left)
        {
            var moved = await db.BroadcastRecipients.Where(r => r.BroadcastId == group.Key && r.Status == RecipientStatus.Sending && (r.Error == null || r.Error != AwaitingCheck))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RecipientStatus.Uncertain)
                    .SetProperty(r => r.Error, "Broadcast_StoppedDuringSend"), ct);
            await CountAsync(db, group.Key, pending: -moved, uncertain: moved, ct: ct);
        }

        var session = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.ExternalSessionId).FirstOrDefaultAsync(ct);
        var uncertain = await RecipientQueries.InStatus(db, workspaceId, RecipientStatus.Uncertain).AsNoTracking()
            .Where(r => r.SendingAt != null && r.ExternalMessageId == null)
            .Select(r => new { r.Id, r.BroadcastId, r.Phone, r.RenderedText, r.SendingAt }).ToListAsync(ct);
        var settled = 0;
        foreach (var r in uncertain)
        {
            GatewayChatMessage? match;
            try
            {
                match = await FindInHistoryAsync(session, r.Phone, r.RenderedText, r.SendingAt!.Value, ct);
            }
            catch (GatewayException ex)
            {
                logger.LogWarning("Reconciling recipient {RecipientId} failed: {Error}", r.Id, ex.Message);
                continue;
            }
            if (match is null)
            {
                await db.BroadcastRecipients.Where(x => x.Id == r.Id && x.Status == RecipientStatus.Uncertain).ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.Error, "Broadcast_NotInHistory"), ct);
                continue;
            }
            if (await db.BroadcastRecipients.Where(x => x.Id == r.Id && x.Status == RecipientStatus.Uncertain).ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.Status, RecipientStatus.Sent).SetProperty(x => x.ExternalMessageId, match.Id)
                    .SetProperty(x => x.SentAt, match.Timestamp ?? r.SendingAt).SetProperty(x => x.Error, (string?)null), ct) == 1)
            {
                await CountAsync(db, r.BroadcastId, uncertain: -1, sent: 1, ct: ct);
                settled++;
            }
        }
        logger.LogInformation("Recovered workspace {WorkspaceId}: {Left} left sending, {Settled} reconciled as sent", workspaceId, left.Sum(l => l.Count), settled);
        return settled;
    }

    /// <summary>Timed-out sends: found in the history, Sent; not there, back to Pending (the gateway says it never went out).</summary>
    private async Task<DateTimeOffset?> CheckAwaitingAsync(IKelolaDb db, DispatchContext context, WorkspaceSendBudget budget, HashSet<Guid> touched, CancellationToken ct)
    {
        var awaiting = await RecipientQueries.InStatus(db, context.WorkspaceId, RecipientStatus.Sending).AsNoTracking()
            .Where(r => r.Error == AwaitingCheck)
            .Select(r => new { r.Id, r.BroadcastId, r.Phone, r.RenderedText, r.SendingAt }).Take(50).ToListAsync(ct);
        if (awaiting.Count == 0)
            return null;
        var now = clock.GetUtcNow();
        if (budget.NextSendAt is { } next && next > now)
            return next;
        foreach (var r in awaiting)
        {
            touched.Add(r.BroadcastId);
            GatewayChatMessage? match;
            try
            {
                match = await FindInHistoryAsync(context.Session, r.Phone, r.RenderedText, r.SendingAt ?? now, ct);
            }
            catch (GatewayException)
            {
                return await BackOffAsync(db, budget, null, now, ct);
            }
            if (match is null)
                await BackToPendingAsync(db, r.Id, r.BroadcastId, "Broadcast_ResendingAfterCheck", ct);
            else if (await db.BroadcastRecipients.Where(x => x.Id == r.Id && x.Status == RecipientStatus.Sending).ExecuteUpdateAsync(s => s
                         .SetProperty(x => x.Status, RecipientStatus.Sent).SetProperty(x => x.ExternalMessageId, match.Id)
                         .SetProperty(x => x.SentAt, match.Timestamp ?? now).SetProperty(x => x.Error, (string?)null), ct) == 1)
                await CountAsync(db, r.BroadcastId, pending: -1, sent: 1, ct: ct);
        }
        return null;
    }

    private async Task<GatewayChatMessage?> FindInHistoryAsync(string? session, string phone, string text, DateTimeOffset sendingAt, CancellationToken ct)
    {
        var chatId = ChatIds.FromPhone(phone.TrimStart('+'));
        var history = await gateway.GetChatMessagesAsync(session ?? "", chatId, HistoryLookup, fromMe: true, ct);
        return history.FirstOrDefault(m => m.FromMe && string.Equals((m.Body ?? "").TrimEnd(), text.TrimEnd(), StringComparison.Ordinal)
                                           && (m.Timestamp is null || m.Timestamp >= sendingAt - ClockSkew));
    }
}
