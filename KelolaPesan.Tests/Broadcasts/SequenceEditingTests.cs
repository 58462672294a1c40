using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>What the sequence editor calls: save (create and change), load, switch off, with the Core validator's rules.</summary>
public class SequenceEditingTests
{
    private static PolicySettings Policy() => new()
    {
        MinDelaySeconds = 0, MaxDelaySeconds = 0, BatchSize = 1000, BatchRestSeconds = 0, DailyCapPerWorkspace = 100_000,
        SendWindowStart = new TimeOnly(0, 0), SendWindowEnd = new TimeOnly(0, 0),
    };

    [Fact]
    public async Task ALicenceWithoutSequences_CannotSaveOne()
    {
        await using var host = await BroadcastHost.CreateAsync(Policy());
        await using (var db = host.Database.CreateSystem())
        {
            var licence = await db.Licences.SingleAsync(l => db.Tenants.Any(t => t.Id == host.TenantId && t.LicenceId == l.Id));
            licence.Features = LicenceFeatures.All & ~LicenceFeatures.Sequences;
            await db.SaveChangesAsync();
        }
        var sequences = host.Services.CreateScope().ServiceProvider.GetRequiredService<SequenceService>();
        var saved = await sequences.SaveAsync(null, new SequenceRequest
        {
            Name = "Sambutan", WorkspaceId = host.WorkspaceId, Steps = [new SequenceStepRequest { MessageTemplate = "Halo {name}" }],
        });
        Assert.Equal([KelolaPesan.Core.Common.ProblemText.Get(SequenceService.FeatureOff)], saved.Errors);
        await using var check = host.Database.CreateSystem();
        Assert.False(await check.Sequences.AnyAsync());
    }

    [Fact]
    public async Task Save_Validates_EnrolsTheList_AndAnEditChangesStepsForMessagesNotYetQueued()
    {
        await using var host = await BroadcastHost.CreateAsync(Policy());
        var ani = await host.AddContactAsync("+628123000011", "Ani");
        var budi = await host.AddContactAsync("+628123000012", "Budi");
        Guid listId;
        await using (var db = host.Database.CreateForTenant(host.TenantId))
        {
            var list = new ContactList { TenantId = host.TenantId, WorkspaceId = host.WorkspaceId, Name = "Pelanggan" };
            db.ContactLists.Add(list);
            db.ContactListMembers.AddRange(
                new ContactListMember { TenantId = host.TenantId, WorkspaceId = host.WorkspaceId, ContactListId = list.Id, ContactId = ani.Id },
                new ContactListMember { TenantId = host.TenantId, WorkspaceId = host.WorkspaceId, ContactListId = list.Id, ContactId = budi.Id });
            await db.SaveChangesAsync();
            listId = list.Id;
        }
        var sequences = host.Services.CreateScope().ServiceProvider.GetRequiredService<SequenceService>();

        var invalid = await sequences.SaveAsync(null, new SequenceRequest
        {
            Name = " ", WorkspaceId = host.WorkspaceId, Steps = [new SequenceStepRequest { MessageTemplate = "Halo {name" }],
            EnrolSource = SequenceEnrolSource.List,
        });
        Assert.False(invalid.Succeeded);
        Assert.Contains(KelolaPesan.Core.Common.ProblemText.Get("Sequence_NameRequired"), invalid.Errors);
        Assert.Contains(KelolaPesan.Core.Common.ProblemText.Get("Template_UnbalancedBraces"), invalid.Errors);
        Assert.Contains(KelolaPesan.Core.Common.ProblemText.Get("Sequence_EnrolSourceRequired"), invalid.Errors);
        Assert.False((await sequences.SaveAsync(null, new SequenceRequest
        {
            Name = "X", WorkspaceId = host.WorkspaceId, Steps = [new SequenceStepRequest { MessageTemplate = "Hai" }],
            EnrolSource = SequenceEnrolSource.List, EnrolSourceId = Guid.NewGuid(),
        })).Succeeded);

        var request = new SequenceRequest
        {
            Name = "Sambutan", WorkspaceId = host.WorkspaceId, EnrolSource = SequenceEnrolSource.List, EnrolSourceId = listId,
            Steps =
            [
                new SequenceStepRequest { DelayDays = 0, DelayMinutes = 0, MessageTemplate = "Selamat datang {name}" },
                new SequenceStepRequest { DelayDays = 2, TimeOfDay = new TimeOnly(9, 0), MessageTemplate = "Hari kedua" },
                new SequenceStepRequest { DelayDays = 5, MessageTemplate = "Hari kelima" },
            ],
        };
        var saved = await sequences.SaveAsync(null, request);
        Assert.True(saved.Succeeded, string.Join("; ", saved.Errors));
        Assert.Equal(2, saved.Enrolled);
        var id = saved.SequenceId!.Value;
        await host.RunOnceAsync();
        Assert.Equal(1, await host.SimulatorSendsToAsync(ani.Phone));

        // Edit: the second step's text changes, the third goes away; the list again enrols nobody twice.
        var loaded = await sequences.GetAsync(id);
        Assert.NotNull(loaded);
        // The one-time source is remembered, so saving again re-enrols from the same list (nobody twice).
        Assert.Equal((SequenceEnrolSource.List, listId, 3, new TimeOnly(9, 0)), (loaded!.EnrolSource, loaded.EnrolSourceId, loaded.Steps.Count, loaded.Steps[1].TimeOfDay!.Value));
        loaded.Name = "Sambutan baru";
        loaded.Steps[1].MessageTemplate = "Hari kedua, {name}!";
        loaded.Steps.RemoveAt(2);
        var edited = await sequences.SaveAsync(id, loaded);
        Assert.True(edited.Succeeded, string.Join("; ", edited.Errors));
        Assert.Equal(0, edited.Enrolled);

        host.Clock.SetUtcNow(BroadcastClock.ToUtc(new DateTime(2026, 12, 2, 9, 0, 0), "Asia/Jakarta"));
        await host.RunOnceAsync();
        await using (var db = host.Database.CreateForTenant(host.TenantId))
        {
            var texts = await db.BroadcastRecipients.AsNoTracking().Where(r => r.ContactId == ani.Id).Select(r => r.RenderedText).ToListAsync();
            Assert.Contains(texts, t => t.StartsWith("Hari kedua, Ani!", StringComparison.Ordinal));
            Assert.Equal(2, await db.SequenceSteps.CountAsync(s => s.SequenceId == id));
        }
        var progress = await sequences.ProgressAsync(id);
        Assert.All(progress, p => Assert.Equal(EnrollmentStatus.Completed, p.Status));
        var summary = Assert.Single(await sequences.ListAllAsync());
        Assert.Equal(("Sambutan baru", 2, 2, true), (summary.Name, summary.Steps, summary.Completed, summary.IsActive));

        Assert.True(await sequences.SetActiveAsync(id, false));
        Assert.False((await sequences.GetAsync(id))!.IsActive);
        Assert.False(await sequences.SetActiveAsync(Guid.NewGuid(), true));
        Assert.Null(await sequences.GetAsync(Guid.NewGuid()));
    }
}
