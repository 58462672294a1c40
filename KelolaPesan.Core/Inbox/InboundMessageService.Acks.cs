using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Realtime;
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
    /// transaction. Every send of a paced broadcast comes back as two or three acks spread over many workspaces: applied
    /// one by one they cost three statements each (issue 21), so the batch reads its messages and recipients once (a
    /// system context, each row taken only for an ack's own tenant and workspace), moves them in memory by the status
    /// rules, and writes each status reached with one conditional UPDATE, the same condition as one by one: a row another
    /// writer moved meanwhile is never moved back. Throws when the acks cannot be stored: nothing was committed, and the
    /// caller applies them one by one.
    /// </summary>
    /// <returns>Per ack, in the order given, whether its message or broadcast recipient is known.</returns>
    public async Task<IReadOnlyList<bool>> HandleAcksAsync(IReadOnlyList<ReceivedAck> acks, CancellationToken ct = default)
    {
        var known = new bool[acks.Count];
        var moved = new List<ChatMessageStatusChanged>();
        await using var db = dbFactory.CreateSystem();
        await db.OpenConnectionAsync(ct);
        using (await gate.EnterAsync(ct))
        {
            await db.InTransactionAsync(async ct =>
            {
                moved.Clear();
                var workspaces = new BatchWorkspaces(acks.Select(a => (a.TenantId, a.WorkspaceId)));
                var workspaceIds = workspaces.Ids;
                var ids = acks.Select(a => a.MessageId).Distinct().ToList();
                var messages = (await db.Messages.AsNoTracking()
                        .Where(m => workspaceIds.Contains(m.WorkspaceId) && ids.Contains(m.ExternalMessageId!) && m.Direction == MessageDirection.Outbound)
                        .Select(m => new AckedRow<MessageStatus>(m.Id, m.TenantId, m.WorkspaceId, m.ExternalMessageId!, m.ChatId, m.Status)).ToListAsync(ct))
                    .Where(m => workspaces.Owns(m.TenantId, m.WorkspaceId)).ToLookup(m => (m.WorkspaceId, m.ExternalId));
                var recipients = (await db.BroadcastRecipients.AsNoTracking()
                        .Where(r => workspaceIds.Contains(r.WorkspaceId) && ids.Contains(r.ExternalMessageId!))
                        .Select(r => new AckedRow<RecipientStatus>(r.Id, r.TenantId, r.WorkspaceId, r.ExternalMessageId!, null, r.Status)).ToListAsync(ct))
                    .Where(r => workspaces.Owns(r.TenantId, r.WorkspaceId)).ToLookup(r => (r.WorkspaceId, r.ExternalId));

                for (var i = 0; i < acks.Count; i++)
                {
                    var ack = acks[i];
                    var key = (ack.WorkspaceId, ack.MessageId);
                    known[i] = messages[key].Any() || recipients[key].Any();
                    foreach (var message in messages[key].Where(m => MessageStatusRules.CanMove(m.Status, ack.Next)))
                    {
                        message.Status = ack.Next;
                        moved.Add(new ChatMessageStatusChanged(ack.TenantId, ack.WorkspaceId, message.ChatId!.Value, message.Id, ack.Next));
                    }
                    if (RecipientStatusOf(ack.Next) is { } reached)
                    {
                        foreach (var recipient in recipients[key].Where(r => RecipientMoves(r.Status, reached)))
                            recipient.Status = reached;
                    }
                }

                foreach (var reached in messages.SelectMany(m => m).Where(m => m.Moved).GroupBy(m => m.Status))
                {
                    var (next, rowIds) = (reached.Key, reached.Select(m => m.Id).ToList());
                    // The SQL form of MessageStatusRules.CanMove for a known next status.
                    var movable = next == MessageStatus.Failed
                        ? db.Messages.Where(m => rowIds.Contains(m.Id) && m.Status < MessageStatus.Delivered)
                        : db.Messages.Where(m => rowIds.Contains(m.Id) && m.Status < next);
                    await movable.ExecuteUpdateAsync(s => s
                        .SetProperty(m => m.Status, next)
                        .SetProperty(m => m.Error, m => next == MessageStatus.Failed ? "Gateway_NotDelivered" : m.Error), ct);
                }
                foreach (var reached in recipients.SelectMany(r => r).Where(r => r.Moved).GroupBy(r => r.Status))
                {
                    var (next, rowIds) = (reached.Key, reached.Select(r => r.Id).ToList());
                    await db.BroadcastRecipients
                        .Where(r => rowIds.Contains(r.Id)
                                    && (r.Status == RecipientStatus.Sending || r.Status == RecipientStatus.Uncertain || (r.Status >= RecipientStatus.Sent && r.Status < next)))
                        .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, next), ct);
                }
            }, ct);
        }
        foreach (var changed in moved)
            await bus.PublishAsync(Topics.Workspace(changed.WorkspaceId), changed);
        return known;
    }

    /// <summary>The recipient status a message status means, if any (a failed ack leaves the recipient to the dispatcher).</summary>
    private static RecipientStatus? RecipientStatusOf(MessageStatus next) => next switch
    {
        MessageStatus.Sent => RecipientStatus.Sent,
        MessageStatus.Delivered => RecipientStatus.Delivered,
        MessageStatus.Read => RecipientStatus.Read,
        _ => null,
    };

    /// <summary>In memory, the condition of the recipients' UPDATE: an ack confirms a send in flight or moves a sent one forward.</summary>
    private static bool RecipientMoves(RecipientStatus current, RecipientStatus next) =>
        current is RecipientStatus.Sending or RecipientStatus.Uncertain || (current >= RecipientStatus.Sent && current < next);

    /// <summary>A message or recipient an ack names, with the status it has reached so far in this batch.</summary>
    private sealed class AckedRow<TStatus>(Guid id, Guid tenantId, Guid workspaceId, string externalId, Guid? chatId, TStatus status)
        where TStatus : struct, Enum
    {
        private readonly TStatus _read = status;
        public Guid Id { get; } = id;
        public Guid TenantId { get; } = tenantId;
        public Guid WorkspaceId { get; } = workspaceId;
        public string ExternalId { get; } = externalId;
        public Guid? ChatId { get; } = chatId;
        public TStatus Status { get; set; } = status;
        public bool Moved => !EqualityComparer<TStatus>.Default.Equals(Status, _read);
    }
}

/// <summary>A gateway's ack of one of a workspace's outbound messages.</summary>
public sealed record ReceivedAck(Guid TenantId, Guid WorkspaceId, string MessageId, MessageStatus Next);
