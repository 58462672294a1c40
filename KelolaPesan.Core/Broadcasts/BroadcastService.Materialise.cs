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
    /// transaction (no change tracking). The audience is read page by page on a pool thread and rendered there, beside
    /// the insert: chunks are written as they are made, so memory holds a few chunks, not the audience. The counters
    /// are set once at the end.
    /// </summary>
    internal async Task<AudienceTally> MaterialiseAsync(Broadcast broadcast, BroadcastAudience audience, CancellationToken ct)
    {
        AudienceTally tally;
        await using (var db = dbFactory.CreateForTenant(broadcast.TenantId))
        {
            // Each attempt reads and renders afresh: the rows (and ids) of a rolled-back attempt were never stored.
            tally = await db.InTransactionAsync(ct => InsertRecipientsAsync(db, broadcast, audience, ct), ct);
        }

        var pending = tally.Members - tally.Skipped;
        await using (var db = dbFactory.CreateForTenant(broadcast.TenantId))
        {
            await db.Broadcasts.Where(b => b.Id == broadcast.Id).ExecuteUpdateAsync(s => s
                .SetProperty(b => b.TotalRecipients, b => b.TotalRecipients + tally.Members)
                .SetProperty(b => b.PendingCount, b => b.PendingCount + pending)
                .SetProperty(b => b.SkippedCount, b => b.SkippedCount + tally.Skipped), ct);
        }
        return tally;
    }

    private const int MaterialiseChunk = 2_000;

    private async Task<AudienceTally> InsertRecipientsAsync(IKelolaDb db, Broadcast broadcast, BroadcastAudience audience, CancellationToken ct)
    {
        var tally = new AudienceTally();
        var chunks = Channel.CreateBounded<BroadcastRecipient[]>(4);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var rendering = Task.Run(async () =>
        {
            try
            {
                // Its own context: the pages are read while the writing context holds the transaction.
                await using var reader = dbFactory.CreateForTenant(broadcast.TenantId);
                var chunk = new List<BroadcastRecipient>(MaterialiseChunk);
                await foreach (var row in Recipients(broadcast, audience, audience.ReadAsync(reader, tally, stop.Token), clock.GetUtcNow()))
                {
                    chunk.Add(row);
                    if (chunk.Count == MaterialiseChunk)
                    {
                        await chunks.Writer.WriteAsync(chunk.ToArray(), stop.Token);
                        chunk.Clear();
                    }
                }
                if (chunk.Count > 0)
                    await chunks.Writer.WriteAsync(chunk.ToArray(), stop.Token);
                chunks.Writer.Complete();
            }
            catch (Exception ex)
            {
                chunks.Writer.Complete(ex);
            }
        }, CancellationToken.None);
        try
        {
            // The size is known only once read: a list or segment may be large (SQLite's wider cache), pasted numbers are few.
            var expected = audience.HasContactSources ? int.MaxValue : audience.PastedCount;
            await using var insert = await inserter.PrepareAsync<BroadcastRecipient>(db, expected, ct);
            await foreach (var chunk in chunks.Reader.ReadAllAsync(ct))
                await insert.InsertAsync(chunk, ct);
        }
        finally
        {
            // On a failed insert the renderer stops instead of waiting on a full channel.
            await stop.CancelAsync();
            await rendering;
        }
        return tally;
    }

    private static async IAsyncEnumerable<BroadcastRecipient> Recipients(Broadcast broadcast, BroadcastAudience audience, IAsyncEnumerable<AudienceMember> members, DateTimeOffset now)
    {
        // The template is parsed once for the audience's keys.
        var schema = audience.Schema;
        var compiled = CompiledTemplate.TryCompile(broadcast.MessageTemplate, schema.KeySet);
        var buffer = new System.Text.StringBuilder();
        var keyPrefix = $"b:{broadcast.Id}:";
        var i = 0;
        await foreach (var m in members)
        {
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
            row.Sequence = i++;
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
