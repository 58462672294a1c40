using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Data;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>
/// No broadcast message to a number that is not on WhatsApp: unchecked and stale numbers are checked at the fake WAHA
/// (numbers ending in 0 are not registered there) just before their send, and the answer is kept with its date.
/// </summary>
public class BroadcastNumberCheckTests
{
    private static PolicySettings Fast() => new()
    {
        MinDelaySeconds = 0, MaxDelaySeconds = 0, BatchSize = 1000, BatchRestSeconds = 0, DailyCapPerWorkspace = 100_000,
        SendWindowStart = new TimeOnly(0, 0), SendWindowEnd = new TimeOnly(0, 0), NumberCheckMaxAgeDays = 30,
    };

    [Theory, Providers]
    public async Task UncheckedAndStaleNumbers_AreCheckedBeforeTheSend_NotRegisteredOnesSkipped_AndTheAnswerIsKept(DatabaseProvider provider)
    {
        await using var waha = await FakeWahaServer.StartAsync();
        waha.AddSession(BroadcastHost.Session);
        await using var host = await BroadcastHost.CreateAsync(Fast(), waha.BaseAddress, provider: provider);
        var now = host.Clock.GetUtcNow();
        var unchecked_ = await host.AddContactAsync("+6281240000021", "Ani");
        var stale = await host.AddContactAsync("+6281240000040", "Budi", validation: ValidationStatus.Registered);
        var fresh = await host.AddContactAsync("+6281240000050", "Citra", validation: ValidationStatus.Registered);
        await using (var db = host.Database.CreateForTenant(host.TenantId))
        {
            await db.Contacts.Where(c => c.Id == stale.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastValidatedAt, now.AddDays(-100)));
            await db.Contacts.Where(c => c.Id == fresh.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastValidatedAt, now.AddDays(-1)));
        }
        // Contacts by their numbers, and two pasted numbers without a contact: one not on WhatsApp, one on it.
        var created = await host.CreateAsync(host.Request("081240000021\n081240000040\n081240000050\n081240000030\n081240000061"));
        Assert.Equal(0, created.Skipped);
        // The first check is throttled: the queue waits what the gateway asked, sends nothing meanwhile, then goes on.
        waha.ThrottleNext(1, TimeSpan.FromSeconds(20));
        var waits = new List<TimeSpan>();
        await host.RunToEndAsync(each: run => { if (run.NextRunAt > host.Clock.GetUtcNow()) waits.Add(run.NextRunAt.Value - host.Clock.GetUtcNow()); });

        Assert.Contains(TimeSpan.FromSeconds(20), waits);
        var rows = (await host.RecipientsAsync(created.BroadcastId!.Value)).ToDictionary(r => r.Phone);
        Assert.Equal(RecipientStatus.Sent, rows["+6281240000021"].Status);
        Assert.Equal(RecipientStatus.Sent, rows["+6281240000050"].Status); // checked a day ago: not asked again
        Assert.Equal(RecipientStatus.Sent, rows["+6281240000061"].Status);
        Assert.Equal((RecipientStatus.Skipped, BroadcastAudience.ReasonNotRegistered), (rows["+6281240000040"].Status, rows["+6281240000040"].SkipReason));
        Assert.Equal((RecipientStatus.Skipped, BroadcastAudience.ReasonNotRegistered), (rows["+6281240000030"].Status, rows["+6281240000030"].SkipReason));
        var sentTo = waha.RequestsTo("POST", "/api/sendText").Select(r => r.Json!["chatId"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(["6281240000021@c.us", "6281240000050@c.us", "6281240000061@c.us"], sentTo);
        var checkedNumbers = waha.RequestsTo("GET", "/api/contacts/check-exists").Select(r => r.Query).ToList();
        Assert.DoesNotContain(checkedNumbers, q => q.Contains("6281240000050", StringComparison.Ordinal));
        Assert.Equal(4, checkedNumbers.Select(q => q.Split('&')[0]).Distinct().Count());
        var b = await host.BroadcastAsync(created.BroadcastId.Value);
        Assert.Equal((BroadcastStatus.Completed, 3, 2, 0), (b.Status, b.SentCount, b.SkippedCount, b.PendingCount));

        // The answers are kept with their date: on the contacts, and for pasted numbers in the workspace's cache.
        await using (var db = host.Database.CreateForTenant(host.TenantId))
        {
            var contacts = await db.Contacts.AsNoTracking().ToDictionaryAsync(c => c.Phone);
            Assert.Equal(ValidationStatus.NotRegistered, contacts["+6281240000040"].LastValidationStatus);
            Assert.Equal(ValidationStatus.Registered, contacts["+6281240000021"].LastValidationStatus);
            Assert.True(contacts["+6281240000040"].LastValidatedAt > now.AddMinutes(-1));
            var cache = await db.NumberChecks.AsNoTracking().ToDictionaryAsync(n => n.Phone);
            Assert.Equal(ValidationStatus.NotRegistered, cache["+6281240000030"].Status);
            Assert.Equal(ValidationStatus.Registered, cache["+6281240000061"].Status);
        }

        // A second broadcast to the pasted numbers asks nothing again: the dead one is skipped, the other sent.
        var checksBefore = waha.RequestsTo("GET", "/api/contacts/check-exists").Count;
        var again = await host.CreateAsync(host.Request("081240000030\n081240000061", "Lagi"));
        await host.RunToEndAsync();
        Assert.Equal(checksBefore, waha.RequestsTo("GET", "/api/contacts/check-exists").Count);
        var second = (await host.RecipientsAsync(again.BroadcastId!.Value)).ToDictionary(r => r.Phone);
        Assert.Equal(RecipientStatus.Skipped, second["+6281240000030"].Status);
        Assert.Equal(RecipientStatus.Sent, second["+6281240000061"].Status);
    }
}
