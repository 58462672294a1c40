using System.Data.Common;
using KelolaPesan.Core.Webhooks;
using KelolaPesan.Data;
using KelolaPesan.Data.Common;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Data;

/// <summary>
/// The bulk inserter's rows read back through EF exactly as written: on SQLite they are bound by position on the
/// connection's handle with a value left bound from the row before (docs/adr/0031), on PostgreSQL they go by COPY.
/// </summary>
public sealed class BulkInsertTests
{
    // 250 rows (over COPY's threshold): ids, nullable ids and times that repeat in runs and then change, nulls after
    // values and values after nulls, an enum, text with characters outside ASCII.
    [Theory, Providers]
    public async Task Rows_ReadBackAsWritten_AndFoundByTheirIds(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var tenants = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var start = new DateTimeOffset(2026, 12, 4, 20, 0, 0, TimeSpan.FromHours(7));
        var rows = Enumerable.Range(0, 250).Select(i => new InboundWebhookEvent
        {
            Source = i % 4 == 0 ? WebhookSource.Instagram : WebhookSource.WhatsApp,
            EventKey = $"evt-{i}",
            EventType = "message",
            TenantId = i % 3 == 0 ? null : tenants[i / 50 % 2],
            Payload = i % 2 == 0 ? "{\"teks\":\"halo kak ✓ café\"}" : "",
            ReceivedAt = start.AddSeconds(i / 10),
            ProcessedAt = i % 2 == 0 ? null : start.AddMinutes(i),
            Attempts = i % 5,
            Error = i % 7 == 0 ? $"gagal {i} ✗" : null,
            ClaimToken = i % 3 == 1 ? Guid.NewGuid() : null,
            CreatedAt = start,
            // The smallest step the provider keeps (SQLite: 100 ns ticks; PostgreSQL: 1 µs).
            UpdatedAt = start.AddTicks(i % 2 * (provider == DatabaseProvider.Postgres ? 10 : 1)),
        }).ToList();

        await using (var db = database.CreateSystem())
            await new RelationalBulkInserter().InsertAsync(db, rows, default);

        await using (var db = database.CreateSystem())
        {
            var stored = await db.InboundWebhookEvents.AsNoTracking().ToDictionaryAsync(e => e.Id);
            Assert.Equal(rows.Count, stored.Count);
            foreach (var row in rows)
            {
                var back = stored[row.Id];
                Assert.Equal((row.Source, row.EventKey, row.EventType, row.TenantId, row.Payload, row.Attempts, row.Error, row.ClaimToken),
                    (back.Source, back.EventKey, back.EventType, back.TenantId, back.Payload, back.Attempts, back.Error, back.ClaimToken));
                Assert.Equal((row.ReceivedAt, row.ProcessedAt, row.CreatedAt, row.UpdatedAt), (back.ReceivedAt, back.ProcessedAt, back.CreatedAt, back.UpdatedAt));
            }
            // Found by the ids EF binds in a query: the stored form is the provider's own.
            var second = tenants[1];
            Assert.Equal(rows.Count(r => r.TenantId == second), await db.InboundWebhookEvents.CountAsync(e => e.TenantId == second));
            var claims = rows.Where(r => r.ClaimToken is not null).Select(r => r.ClaimToken).Take(20).ToList();
            Assert.Equal(20, await db.InboundWebhookEvents.CountAsync(e => claims.Contains(e.ClaimToken)));
        }
    }

    [Theory, Providers]
    public async Task ADuplicate_FailsTheBatch_AndWritesNone(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var rows = Enumerable.Range(0, 150).Select(i => new InboundWebhookEvent { EventKey = i == 149 ? "evt-0" : $"evt-{i}", EventType = "message" }).ToList();

        await using (var db = database.CreateSystem())
            await Assert.ThrowsAnyAsync<DbException>(() => new RelationalBulkInserter().InsertAsync(db, rows, default));

        await using (var db = database.CreateSystem())
            Assert.Equal(0, await db.InboundWebhookEvents.CountAsync());
    }
}
