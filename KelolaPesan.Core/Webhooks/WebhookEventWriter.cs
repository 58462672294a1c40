using System.Threading.Channels;
using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Webhooks;

/// <summary>
/// Stores raw webhook events with group commits: the requests arriving while one transaction runs wait for the next,
/// which holds all their rows. Each request still answers only after its row is committed (nothing is acknowledged
/// that a crash could lose), but a burst costs one commit per batch instead of one per request.
/// </summary>
public sealed class WebhookEventWriter(IServiceScopeFactory scopes, ILogger<WebhookEventWriter> logger) : IAsyncDisposable
{
    public const int MaxBatch = 200;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _startGate = new();
    private Task? _loop;

    /// <summary>Stored, or Duplicate when a row with the same source and event key exists (or is in the same batch).</summary>
    public Task<WebhookIngestResult> WriteAsync(InboundWebhookEvent row)
    {
        EnsureStarted();
        var pending = new Pending(row, new TaskCompletionSource<WebhookIngestResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
            throw new ObjectDisposedException(nameof(WebhookEventWriter));
        return pending.Result.Task;
    }

    private void EnsureStarted()
    {
        if (_loop is not null)
            return;
        lock (_startGate)
            _loop ??= Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
                batch.Add(next);
            try
            {
                await WriteBatchAsync(batch);
            }
            catch (Exception ex)
            {
                // The batch could not be stored together: each row on its own, so one bad row fails only its request.
                logger.LogWarning(ex, "Storing {Count} webhook events together failed; storing them one by one", batch.Count);
                foreach (var pending in batch.Where(p => !p.Result.Task.IsCompleted))
                    await WriteOneAsync(pending);
            }
            batch.Clear();
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        var keys = batch.Select(p => p.Row.EventKey).Distinct().ToList();
        var sources = batch.Select(p => p.Row.Source).Distinct().ToList();
        var existing = (await db.InboundWebhookEvents.AsNoTracking()
                .Where(e => sources.Contains(e.Source) && keys.Contains(e.EventKey))
                .Select(e => new { e.Source, e.EventKey }).ToListAsync())
            .Select(e => (e.Source, e.EventKey)).ToHashSet();

        var stored = new List<Pending>(batch.Count);
        var duplicates = new List<Pending>();
        foreach (var pending in batch)
        {
            if (existing.Add((pending.Row.Source, pending.Row.EventKey)))
            {
                db.InboundWebhookEvents.Add(pending.Row);
                stored.Add(pending);
            }
            else
            {
                duplicates.Add(pending);
            }
        }
        if (stored.Count > 0)
            await db.SaveChangesAsync();
        foreach (var pending in stored)
            pending.Result.TrySetResult(WebhookIngestResult.Stored(pending.Row.Id));
        foreach (var pending in duplicates)
            pending.Result.TrySetResult(WebhookIngestResult.Duplicate);
    }

    private async Task WriteOneAsync(Pending pending)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var factory = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>();
            await using var db = factory.CreateSystem();
            db.InboundWebhookEvents.Add(pending.Row);
            try
            {
                await db.SaveChangesAsync();
                pending.Result.TrySetResult(WebhookIngestResult.Stored(pending.Row.Id));
            }
            catch (DbUpdateException)
            {
                // The unique index caught a redelivery (another process may store events too): it is already stored.
                await using var check = factory.CreateSystem();
                if (!await check.InboundWebhookEvents.AnyAsync(e => e.Source == pending.Row.Source && e.EventKey == pending.Row.EventKey))
                    throw;
                pending.Result.TrySetResult(WebhookIngestResult.Duplicate);
            }
        }
        catch (Exception ex)
        {
            pending.Result.TrySetException(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is not null)
            await _loop;
    }

    private sealed record Pending(InboundWebhookEvent Row, TaskCompletionSource<WebhookIngestResult> Result);
}
