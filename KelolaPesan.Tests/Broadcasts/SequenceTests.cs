using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Contacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Broadcasts;

public class SequenceTests
{
    private static PolicySettings Policy() => new()
    {
        MinDelaySeconds = 0, MaxDelaySeconds = 0, BatchSize = 1000, BatchRestSeconds = 0, DailyCapPerWorkspace = 100_000,
        SendWindowStart = new TimeOnly(0, 0), SendWindowEnd = new TimeOnly(0, 0),
    };

    [Fact]
    public async Task Steps_GoOutOnTheirDays_ThroughThePacedQueue_AndAReplyStopsTheRest()
    {
        await using var host = await BroadcastHost.CreateAsync(Policy());
        var ani = await host.AddContactAsync("+628123000001", "Ani");
        var budi = await host.AddContactAsync("+628123000002", "Budi");
        var sequences = host.Services.CreateScope().ServiceProvider.GetRequiredService<SequenceService>();
        var id = await sequences.CreateAsync(host.WorkspaceId, "Sambutan",
            [new SequenceStepInput(0, 0, null, "Selamat datang {name}"), new SequenceStepInput(2, 0, new TimeOnly(9, 0), "Hari kedua, {name|Kak}")], enrolOnListId: null);
        Assert.NotNull(id);
        Assert.Equal(2, await sequences.EnrolAsync(id!.Value, [ani.Id, budi.Id]));
        Assert.Equal(0, await sequences.EnrolAsync(id.Value, [ani.Id]));

        var first = await host.RunOnceAsync();
        Assert.Equal(BroadcastClock.ToUtc(new DateTime(2026, 12, 2, 9, 0, 0), "Asia/Jakarta"), first.NextRunAt);
        Assert.Equal(1, await host.SimulatorSendsToAsync(ani.Phone));
        Assert.Equal(1, await host.SimulatorSendsToAsync(budi.Phone));

        // Budi replies on day 1: his sequence stops; Ani's second step goes out on day 2 at 09:00 Jakarta.
        await host.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<AudienceReplies>().HandleInboundAsync(host.TenantId, host.WorkspaceId, budi.Phone, "terima kasih");
            return 0;
        });
        var day2 = BroadcastClock.ToUtc(new DateTime(2026, 12, 2, 9, 0, 0), "Asia/Jakarta");
        host.Clock.SetUtcNow(day2.AddMinutes(-1));
        await host.RunOnceAsync();
        Assert.Equal(1, await host.SimulatorSendsToAsync(ani.Phone));
        host.Clock.SetUtcNow(day2);
        await host.RunOnceAsync();
        Assert.Equal(2, await host.SimulatorSendsToAsync(ani.Phone));
        Assert.Equal(1, await host.SimulatorSendsToAsync(budi.Phone));

        var progress = await sequences.ProgressAsync(id.Value);
        Assert.Equal((EnrollmentStatus.Completed, null), (progress.Single(p => p.ContactId == ani.Id).Status, progress.Single(p => p.ContactId == ani.Id).StopReason));
        Assert.Equal((EnrollmentStatus.Stopped, "Replied"), (progress.Single(p => p.ContactId == budi.Id).Status, progress.Single(p => p.ContactId == budi.Id).StopReason));
        // Carrier broadcasts never show in the broadcasts list.
        Assert.Empty(await host.InScopeAsync(sp => sp.GetRequiredService<BroadcastService>().ListAsync()));
    }

    [Fact]
    public async Task JoiningTheList_Enrols_AndAnOptOutStopsEverything()
    {
        await using var host = await BroadcastHost.CreateAsync(Policy());
        var cici = await host.AddContactAsync("+628123000003", "Cici");
        Guid listId;
        await using (var db = host.Database.CreateForTenant(host.TenantId))
        {
            var list = new ContactList { TenantId = host.TenantId, WorkspaceId = host.WorkspaceId, Name = "Baru" };
            db.ContactLists.Add(list);
            await db.SaveChangesAsync();
            listId = list.Id;
        }
        var sequences = host.Services.CreateScope().ServiceProvider.GetRequiredService<SequenceService>();
        var id = await sequences.CreateAsync(host.WorkspaceId, "Gabung", [new SequenceStepInput(0, 10, null, "Halo {name}"), new SequenceStepInput(1, 0, null, "Besok")], listId);
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        await using (var db = host.Database.CreateForTenant(host.TenantId))
        {
            db.ContactListMembers.Add(new ContactListMember { TenantId = host.TenantId, WorkspaceId = host.WorkspaceId, ContactListId = listId, ContactId = cici.Id });
            await db.SaveChangesAsync();
        }
        var run = await host.RunOnceAsync();
        Assert.Equal(0, await host.SimulatorSendsToAsync(cici.Phone));
        Assert.Equal(host.Clock.GetUtcNow().AddMinutes(10), run.NextRunAt);
        host.Clock.Advance(TimeSpan.FromMinutes(10));
        await host.RunOnceAsync();
        Assert.Equal(1, await host.SimulatorSendsToAsync(cici.Phone));

        await host.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<AudienceReplies>().HandleInboundAsync(host.TenantId, host.WorkspaceId, cici.Phone, "STOP");
            return 0;
        });
        host.Clock.Advance(TimeSpan.FromDays(2));
        await host.RunOnceAsync();
        Assert.Equal(1, await host.SimulatorSendsToAsync(cici.Phone));
        var progress = await sequences.ProgressAsync(id!.Value);
        Assert.Equal("Opted out", progress.Single().StopReason);
        await using (var db = host.Database.CreateForTenant(host.TenantId))
            Assert.True((await db.Contacts.FirstAsync(c => c.Id == cici.Id)).OptedOut);
    }
}
