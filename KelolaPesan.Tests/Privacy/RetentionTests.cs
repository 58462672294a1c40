using KelolaPesan.Core.Common;
using KelolaPesan.Core.ExternalApi;
using KelolaPesan.Core.Privacy;
using KelolaPesan.Core.Webhooks;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Privacy;

/// <summary>The retention purge removes exactly what is past its configured period, and nothing else.</summary>
public sealed class RetentionTests
{
    [Fact]
    public async Task ThePurge_RemovesExactlyWhatIsPastItsPeriod()
    {
        await using var host = await PrivacyHost.CreateAsync(new()
        {
            ["Privacy:Retention:SoftDeletedDays"] = "30", ["Privacy:Retention:WebhookPayloadDays"] = "7", ["Privacy:Retention:ErrorLogDays"] = "90",
        });
        var old = await host.SeedAsync(host.Alpha, "old", "+6281234500001");
        var recent = await host.SeedAsync(host.Bravo, "recent", "+6281234500002");
        var now = host.Clock.GetUtcNow();

        Guid oldPayload, freshPayload, unprocessed, freshUnprocessed, oldError, freshError, expiredExport, liveExport;
        string expiredKey, liveKey;
        await using (var db = host.Database.CreateSystem())
        {
            await db.Contacts.Where(c => c.Id == old.ContactId).ExecuteUpdateAsync(s => s.SetProperty(c => c.DeletedAt, now.AddDays(-31)));
            await db.Contacts.Where(c => c.Id == recent.ContactId).ExecuteUpdateAsync(s => s.SetProperty(c => c.DeletedAt, now.AddDays(-29)));
            InboundWebhookEvent Event(string key, DateTimeOffset? processed, int receivedDaysAgo = 40) => new()
                { EventKey = key, EventType = "message", Payload = "{}", ReceivedAt = now.AddDays(-receivedDaysAgo), ProcessedAt = processed };
            // An unprocessed row (malformed, an orphan ack) counts from its arrival.
            var events = new[] { Event("a", now.AddDays(-8)), Event("b", now.AddDays(-6)), Event("c", null), Event("d", null, receivedDaysAgo: 6) };
            db.InboundWebhookEvents.AddRange(events);
            (oldPayload, freshPayload, unprocessed, freshUnprocessed) = (events[0].Id, events[1].Id, events[2].Id, events[3].Id);
            WorkspaceEvent Error(DateTimeOffset at) => new()
                { TenantId = host.Alpha, WorkspaceId = old.WorkspaceId, Kind = WorkspaceEventKind.Error, At = at, Operation = "op", Message = "m" };
            var errors = new[] { Error(now.AddDays(-91)), Error(now.AddDays(-89)) };
            db.WorkspaceEvents.AddRange(errors);
            (oldError, freshError) = (errors[0].Id, errors[1].Id);
            expiredKey = (await host.Store.SaveAsync(new MemoryStream([1, 2, 3]), 100)).StorageKey;
            liveKey = (await host.Store.SaveAsync(new MemoryStream([4, 5, 6]), 100)).StorageKey;
            var exports = new[]
            {
                new DataExport { TenantId = host.Alpha, Status = DataJobStatus.Completed, StorageKey = expiredKey, ExpiresAt = now.AddMinutes(-1) },
                new DataExport { TenantId = host.Alpha, Status = DataJobStatus.Completed, StorageKey = liveKey, ExpiresAt = now.AddMinutes(1) },
            };
            db.DataExports.AddRange(exports);
            (expiredExport, liveExport) = (exports[0].Id, exports[1].Id);
            await db.SaveChangesAsync();
        }

        var result = await host.Run<RetentionService, RetentionResult>(s => s.PurgeAsync());

        // The chat goes with its contact (erased through the contact, so not counted as a marked-deleted chat).
        Assert.Equal((1, 2, 1, 1), (result.Contacts, result.WebhookPayloads, result.ErrorLogs, result.Exports));
        await using (var db = host.Database.CreateSystem())
        {
            Assert.False(await db.Contacts.IgnoreQueryFilters([QueryFilters.Tenant, QueryFilters.SoftDelete]).AnyAsync(c => c.Id == old.ContactId));
            Assert.False(await db.Chats.IgnoreQueryFilters([QueryFilters.Tenant, QueryFilters.SoftDelete]).AnyAsync(c => c.Id == old.ChatId));
            Assert.True(await db.Contacts.IgnoreQueryFilters([QueryFilters.Tenant, QueryFilters.SoftDelete]).AnyAsync(c => c.Id == recent.ContactId));
            Assert.True(await db.Chats.AnyAsync(c => c.Id == recent.ChatId));
            Assert.Equal(new[] { freshPayload, freshUnprocessed }.Order(), (await db.InboundWebhookEvents.Select(e => e.Id).ToListAsync()).Order());
            Assert.Equal([freshError], await db.WorkspaceEvents.Select(e => e.Id).ToListAsync());
            Assert.Equal([liveExport], await db.DataExports.Select(e => e.Id).ToListAsync());
        }
        Assert.Null(await host.Store.OpenReadAsync(expiredKey));
        Assert.Null(await host.Store.OpenReadAsync(old.StorageKey));
        await using (var live = await host.Store.OpenReadAsync(liveKey))
            Assert.NotNull(live);

        // A day later the recent contact is past its period too; the next run takes it and nothing else.
        host.Clock.Advance(TimeSpan.FromDays(2));
        var second = await host.Run<RetentionService, RetentionResult>(s => s.PurgeAsync());
        Assert.Equal(1, second.Contacts);
        Assert.Equal(1, second.Exports);
    }

    [Fact]
    public async Task ThePurge_RemovesIdempotencyRecordsPastTheirHours_AndKeepsYoungerOnes()
    {
        await using var host = await PrivacyHost.CreateAsync(new() { ["Privacy:Retention:IdempotencyRecordHours"] = "24" });
        var now = host.Clock.GetUtcNow();
        var keyId = Guid.NewGuid();
        var old = new ApiIdempotencyRecord { TenantId = host.Alpha, ApiKeyId = keyId, Key = "order-1", StatusCode = 202, ResponseJson = "{}" };
        var young = new ApiIdempotencyRecord { TenantId = host.Bravo, ApiKeyId = keyId, Key = "order-2", StatusCode = 202, ResponseJson = "{}" };
        await using (var db = host.Database.CreateSystem())
        {
            db.ApiIdempotencyRecords.AddRange(old, young);
            await db.SaveChangesAsync();
            await db.ApiIdempotencyRecords.Where(r => r.Id == old.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.CreatedAt, now.AddHours(-25)));
            await db.ApiIdempotencyRecords.Where(r => r.Id == young.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.CreatedAt, now.AddHours(-23)));
        }

        var result = await host.Run<RetentionService, RetentionResult>(s => s.PurgeAsync());

        Assert.Equal(1, result.IdempotencyRecords);
        await using (var db = host.Database.CreateSystem())
            Assert.Equal([young.Id], await db.ApiIdempotencyRecords.Select(r => r.Id).ToListAsync());

        // Two hours on, the younger one is past 24 h as well.
        host.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, (await host.Run<RetentionService, RetentionResult>(s => s.PurgeAsync())).IdempotencyRecords);
    }
}
