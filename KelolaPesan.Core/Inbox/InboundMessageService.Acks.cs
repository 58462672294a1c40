using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Inbox;

public sealed partial class InboundMessageService
{
    /// <summary>
    /// Moves an outbound message forward on the status scale in one conditional UPDATE, so a late or repeated
    /// ack (or two racing ones) can never move it back. Returns false when no message or recipient has that id yet.
    /// </summary>
    public async Task<bool> HandleAckAsync(Guid tenantId, Guid workspaceId, string messageId, MessageStatus next, CancellationToken ct = default) =>
        (await HandleAcksAsync([new ReceivedAck(tenantId, workspaceId, messageId, next)], ct))[0];

    /// <summary>
    /// Acks of any workspaces and tenants, each applied as <see cref="HandleAckAsync"/> does and in the order given, in ONE
    /// transaction (each tenant's statements through its filter). Every send of a paced broadcast comes back as two or
    /// three acks spread over many workspaces, which cost a context and commits each (issue 21). Throws
    /// when the acks cannot be stored: nothing was committed, and the caller applies them one by one.
    /// </summary>
    /// <returns>Per ack, in the order given, whether its message or broadcast recipient is known.</returns>
    public async Task<IReadOnlyList<bool>> HandleAcksAsync(IReadOnlyList<ReceivedAck> acks, CancellationToken ct = default)
    {
        var tenant = new TenantContext();
        var known = new bool[acks.Count];
        var moved = new List<ChatMessageStatusChanged>();
        await using var db = dbFactory.CreateForTenants(tenant);
        await db.OpenConnectionAsync(ct);
        using (await gate.EnterAsync(ct))
        {
            await db.InTransactionAsync(async ct =>
            {
                moved.Clear();
                for (var i = 0; i < acks.Count; i++)
                {
                    var ack = acks[i];
                    tenant.SetTenant(ack.TenantId);
                    var (isKnown, row) = await ApplyAckAsync(db, ack, ct);
                    known[i] = isKnown;
                    if (row is { } r)
                        moved.Add(new ChatMessageStatusChanged(ack.TenantId, ack.WorkspaceId, r.ChatId, r.Id, ack.Next));
                }
            }, ct);
        }
        foreach (var changed in moved)
            await bus.PublishAsync(Topics.Workspace(changed.WorkspaceId), changed);
        return known;
    }

    /// <returns>Whether the id is known, and the message moved if one did (for its realtime event).</returns>
    private static async Task<(bool Known, (Guid Id, Guid ChatId)? Moved)> ApplyAckAsync(IKelolaDb db, ReceivedAck ack, CancellationToken ct)
    {
        var (workspaceId, messageId, next) = (ack.WorkspaceId, ack.MessageId, ack.Next);
        var target = db.Messages.Where(m => m.WorkspaceId == workspaceId && m.ExternalMessageId == messageId && m.Direction == MessageDirection.Outbound);
        // The SQL form of MessageStatusRules.CanMove for a known next status.
        var movable = next == MessageStatus.Failed
            ? target.Where(m => m.Status < MessageStatus.Delivered)
            : target.Where(m => m.Status < next);
        var moved = await movable.ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, next)
            .SetProperty(m => m.Error, m => next == MessageStatus.Failed ? "Gateway_NotDelivered" : m.Error), ct);

        var recipients = await MoveRecipientsAsync(db, workspaceId, messageId, next, ct);
        var row = moved > 0 ? await target.Select(m => new { m.Id, m.ChatId }).FirstOrDefaultAsync(ct) : null;
        var known = row is not null || recipients || await target.AnyAsync(ct);
        return (known, row is null ? null : (row.Id, row.ChatId));
    }

    /// <returns>Whether a broadcast recipient has this id (moved now or not).</returns>
    private static async Task<bool> MoveRecipientsAsync(IKelolaDb db, Guid workspaceId, string messageId, MessageStatus next, CancellationToken ct)
    {
        RecipientStatus? status = next switch
        {
            MessageStatus.Sent => RecipientStatus.Sent,
            MessageStatus.Delivered => RecipientStatus.Delivered,
            MessageStatus.Read => RecipientStatus.Read,
            _ => null,
        };
        var recipients = db.BroadcastRecipients.Where(r => r.WorkspaceId == workspaceId && r.ExternalMessageId == messageId);
        if (status is not { } s)
            return await recipients.AnyAsync(ct);
        var updated = await recipients
            .Where(r => r.Status == RecipientStatus.Sending || r.Status == RecipientStatus.Uncertain || (r.Status >= RecipientStatus.Sent && r.Status < s))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, s), ct);
        // Moved: known without asking again.
        return updated > 0 || await recipients.AnyAsync(ct);
    }
}

/// <summary>A gateway's ack of one of a workspace's outbound messages.</summary>
public sealed record ReceivedAck(Guid TenantId, Guid WorkspaceId, string MessageId, MessageStatus Next);
