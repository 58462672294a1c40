using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Inbox;

/// <summary>
/// Writes what our own gateway call answered on the message it sent, only over a message still Pending. The gateway
/// echoes a send, often before the call returns, and the echo gives the message its gateway id; the acks that follow
/// can then move it to Delivered or Read before the call's answer is written, and a plain save of the tracked message
/// set it back to Sent. A message the echo showed was sent is Sent, even when the call itself failed (a timeout after
/// the gateway had sent).
/// </summary>
internal static class OwnSendResult
{
    /// <summary>
    /// Writes <paramref name="message"/>'s outcome (status, gateway id, error) where its row is still Pending, then takes
    /// the row's values as they are, so the caller shows and publishes what is stored. The context no longer tracks the
    /// message afterwards, so a later save of the same context does not write it again (marking it Unchanged instead
    /// would set its values back to those it was loaded with).
    /// </summary>
    public static async Task RecordAsync(IKelolaDb db, Message message)
    {
        var (status, externalId, error) = (message.Status, message.ExternalMessageId, message.Error);
        await db.Messages.Where(m => m.Id == message.Id && m.Status == MessageStatus.Pending).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, m => m.ExternalMessageId != null ? MessageStatus.Sent : status)
            .SetProperty(m => m.Error, m => m.ExternalMessageId != null ? null : error)
            .SetProperty(m => m.ExternalMessageId, m => m.ExternalMessageId ?? externalId), CancellationToken.None);
        var stored = await db.Messages.AsNoTracking().Where(m => m.Id == message.Id)
            .Select(m => new { m.Status, m.ExternalMessageId, m.Error }).FirstAsync(CancellationToken.None);
        (message.Status, message.ExternalMessageId, message.Error) = (stored.Status, stored.ExternalMessageId, stored.Error);
        db.Entry(message).State = EntityState.Detached;
    }
}
