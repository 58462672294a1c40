using System.Threading.Channels;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>Materialising a broadcast's recipients: one row each, rendered and keyed, written in one transaction.</summary>
public sealed partial class BroadcastService
{
    /// <summary>
    /// One recipient row per member with its rendered text and idempotency key, written by the bulk inserter in one
    /// transaction (no change tracking). Rendering, a third of the work for 100,000 members, runs on a pool thread
    /// beside the insert: chunks are written as they are made. The counters are set once at the end.
    /// </summary>
    internal async Task<(int Total, int Skipped)> MaterialiseAsync(Broadcast broadcast, IReadOnlyList<AudienceMember> members, CancellationToken ct)
    {
        await using (var db = dbFactory.CreateForTenant(broadcast.TenantId))
        {
            // Each attempt renders afresh: a retried one cannot read the channel again, and the rows (and ids) of
            // the rolled-back attempt were never stored.
            await db.InTransactionAsync(ct => InsertRecipientsAsync(db, broadcast, members, ct), ct);
        }

        var total = members.Count;
        var skipped = members.Count(m => m.SkipReason is not null);
        var pending = total - skipped;
        await using (var db = dbFactory.CreateForTenant(broadcast.TenantId))
        {
            await db.Broadcasts.Where(b => b.Id == broadcast.Id).ExecuteUpdateAsync(s => s
                .SetProperty(b => b.TotalRecipients, b => b.TotalRecipients + total)
                .SetProperty(b => b.PendingCount, b => b.PendingCount + pending)
                .SetProperty(b => b.SkippedCount, b => b.SkippedCount + skipped), ct);
        }
        return (total, skipped);
    }

    private const int MaterialiseChunk = 2_000;

    private async Task InsertRecipientsAsync(IKelolaDb db, Broadcast broadcast, IReadOnlyList<AudienceMember> members, CancellationToken ct)
    {
        var chunks = Channel.CreateBounded<BroadcastRecipient[]>(4);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var rendering = Task.Run(async () =>
        {
            try
            {
                foreach (var chunk in Recipients(broadcast, members, clock.GetUtcNow()).Chunk(MaterialiseChunk))
                    await chunks.Writer.WriteAsync(chunk, stop.Token);
                chunks.Writer.Complete();
            }
            catch (Exception ex)
            {
                chunks.Writer.Complete(ex);
            }
        }, CancellationToken.None);
        try
        {
            await using var insert = await inserter.PrepareAsync<BroadcastRecipient>(db, members.Count, ct);
            await foreach (var chunk in chunks.Reader.ReadAllAsync(ct))
                await insert.InsertAsync(chunk, ct);
        }
        finally
        {
            // On a failed insert the renderer stops instead of waiting on a full channel.
            await stop.CancelAsync();
            await rendering;
        }
    }

    private static IEnumerable<BroadcastRecipient> Recipients(Broadcast broadcast, IReadOnlyList<AudienceMember> members, DateTimeOffset now)
    {
        // The template is parsed once for the audience's keys; a member with other keys (none today) renders as before.
        var schema = members.Count > 0 && members[0].Values is AudienceValues first ? first.Schema : null;
        var compiled = schema is null ? null : CompiledTemplate.TryCompile(broadcast.MessageTemplate, schema.KeySet);
        var buffer = new System.Text.StringBuilder();
        var keyPrefix = $"b:{broadcast.Id}:";
        for (var i = 0; i < members.Count; i++)
        {
            var m = members[i];
            // The entity's own time-ordered id (made by its constructor) is the recipient's id and part of its key.
            var row = new BroadcastRecipient();
            var key = keyPrefix + row.Id.ToString();
            var text = compiled is not null && m.Values is AudienceValues values && values.Schema == schema
                ? compiled.Render(values, compiled.UsesRandom ? new Random(StableSeed(key)) : null, buffer)
                : MessageTemplate.Render(broadcast.MessageTemplate, m.Values, new Random(StableSeed(key)));
            row.TenantId = broadcast.TenantId;
            row.WorkspaceId = broadcast.WorkspaceId;
            row.BroadcastId = broadcast.Id;
            row.ContactId = m.ContactId;
            row.Phone = m.Phone;
            row.Name = m.Name is { Length: > BroadcastRecipient.NameMaxLength } n ? n[..BroadcastRecipient.NameMaxLength] : m.Name;
            row.RenderedText = WatermarkService.Append(text, broadcast.WatermarkFooter);
            row.IdempotencyKey = key;
            row.Sequence = i;
            row.CreatedAt = now;
            row.UpdatedAt = now;
            row.Status = m.SkipReason is null ? RecipientStatus.Pending : RecipientStatus.Skipped;
            row.SkipReason = m.SkipReason;
            yield return row;
        }
    }

    /// <summary>A seed that is the same on every run and machine (string.GetHashCode is randomised per process).</summary>
    internal static int StableSeed(string key)
    {
        unchecked
        {
            var hash = (int)2166136261;
            foreach (var c in key)
                hash = (hash ^ c) * 16777619;
            return hash;
        }
    }
}
