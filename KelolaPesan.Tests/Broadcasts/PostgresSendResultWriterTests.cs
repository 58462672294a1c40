using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>The one-statement write of a send's result on PostgreSQL (docs/adr/0029), against the server the test script starts.</summary>
public class PostgresSendResultWriterTests
{
    [PostgresFact]
    public async Task OnPostgres_ASendsResultStatement_CountsOnlyARecipientStillSending_AndWrittenTwiceCountsOnce()
    {
        await using var host = await BroadcastHost.CreateAsync(BroadcastDispatchTests.Fast(), provider: DatabaseProvider.Postgres);
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
}
