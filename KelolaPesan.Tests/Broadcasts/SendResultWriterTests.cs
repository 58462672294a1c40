using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Validation;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>
/// A send step's own writes on each provider: one statement on PostgreSQL (docs/adr/0029), one command of several
/// statements in a transaction on SQLite.
/// </summary>
public class SendResultWriterTests
{
    [Theory, Providers]
    public async Task ASendsResult_CountsOnlyARecipientStillSending_AndWrittenTwiceCountsOnce(DatabaseProvider provider)
    {
        await using var host = await BroadcastHost.CreateAsync(BroadcastDispatchTests.Fast(), provider: provider);
        var created = await host.CreateAsync(host.Request("081240000011\n081240000012"));
        var id = created.BroadcastId!.Value;
        var rows = await host.RecipientsAsync(id);
        var at = host.Clock.GetUtcNow();
        var budget = new WorkspaceSendBudget { TenantId = host.TenantId, WorkspaceId = host.WorkspaceId, Day = DateOnly.FromDateTime(at.Date), SentToday = 7, SentInBatch = 3, NextSendAt = at.AddSeconds(9) };
        await using (var db = host.Database.CreateForTenant(host.TenantId))
        {
            db.SendBudgets.Add(budget);
            await db.SaveChangesAsync();
            await db.BroadcastRecipients.Where(r => r.Id == rows[0].Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RecipientStatus.Sending));
        }

        await using (var db = host.Database.CreateForTenant(host.TenantId))
        {
            var writer = db.SendResults!;
            // The first recipient twice (a retry after a lost answer), the second while it is still Pending (not this run's).
            await writer.RecordSentAsync(new SentResult(host.TenantId, rows[0].Id, "wamid-1", at, budget), CancellationToken.None);
            await writer.RecordSentAsync(new SentResult(host.TenantId, rows[0].Id, "wamid-1", at, budget), CancellationToken.None);
            await writer.RecordSentAsync(new SentResult(host.TenantId, rows[1].Id, "wamid-2", at, budget), CancellationToken.None);
        }

        var after = await host.RecipientsAsync(id);
        Assert.Equal((RecipientStatus.Sent, "wamid-1", at), (after[0].Status, after[0].ExternalMessageId, after[0].SentAt));
        Assert.Equal((RecipientStatus.Pending, null), (after[1].Status, after[1].ExternalMessageId));
        var b = await host.BroadcastAsync(id);
        Assert.Equal((1, 1), (b.SentCount, b.PendingCount));
        await using (var db = host.Database.CreateForTenant(host.TenantId))
        {
            var stored = await db.SendBudgets.AsNoTracking().SingleAsync(x => x.Id == budget.Id);
            Assert.Equal((7, 3, at.AddSeconds(9)), (stored.SentToday, stored.SentInBatch, stored.NextSendAt));
        }
    }

    [Theory, Providers]
    public async Task ANumberChecksAnswer_GoesOnTheWorkspacesContactsOfThatNumber_AndIntoItsCache_NewOrUpdated(DatabaseProvider provider)
    {
        await using var host = await BroadcastHost.CreateAsync(BroadcastDispatchTests.Fast(), provider: provider);
        Guid same, other, deleted;
        await using (var db = host.Database.CreateSystem())
        {
            var seed = Seed.In(db, host.TenantId);
            same = seed.Contact(host.WorkspaceId, "+6281240000021", "Sama").Id;
            other = seed.Contact(host.WorkspaceId, "+6281240000022", "Lain").Id;
            deleted = seed.Contact(host.WorkspaceId, "+6281240000023", "Terhapus", c => c.DeletedAt = host.Clock.GetUtcNow()).Id;
            await db.SaveChangesAsync();
        }
        var first = host.Clock.GetUtcNow();
        var later = first.AddDays(3);

        await using (var db = host.Database.CreateForTenant(host.TenantId))
        {
            var writer = db.SendResults!;
            await writer.RememberRegistrationAsync(host.TenantId, host.WorkspaceId, "+6281240000021", ValidationStatus.Registered, first, CancellationToken.None);
            await writer.RememberRegistrationAsync(host.TenantId, host.WorkspaceId, "+6281240000023", ValidationStatus.Registered, first, CancellationToken.None);
            // Asked again later: the cache row is updated, not doubled.
            await writer.RememberRegistrationAsync(host.TenantId, host.WorkspaceId, "+6281240000021", ValidationStatus.NotRegistered, later, CancellationToken.None);
        }

        await using var check = host.Database.CreateSystem();
        var contacts = await check.Contacts.IgnoreQueryFilters([QueryFilters.SoftDelete]).AsNoTracking().Where(c => c.WorkspaceId == host.WorkspaceId)
            .ToDictionaryAsync(c => c.Id, c => (c.LastValidationStatus, c.LastValidatedAt));
        Assert.Equal((ValidationStatus.NotRegistered, later), contacts[same]);
        Assert.Equal((null, null), contacts[other]);
        // A deleted contact is left as it was.
        Assert.Equal((null, null), contacts[deleted]);
        var cache = await check.NumberChecks.AsNoTracking().Where(n => n.WorkspaceId == host.WorkspaceId).OrderBy(n => n.Phone).ToListAsync();
        Assert.Equal([("+6281240000021", ValidationStatus.NotRegistered, later), ("+6281240000023", ValidationStatus.Registered, first)],
            cache.Select(n => (n.Phone, n.Status, n.CheckedAt)));
    }
}
