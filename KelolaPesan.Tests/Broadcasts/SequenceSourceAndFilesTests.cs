using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Tests.Gateways;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>Issue 6 leftovers: where an enrolment came from, files on steps, and the progress events the page listens to.</summary>
public class SequenceSourceAndFilesTests
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 7, 7, 7];

    private static PolicySettings Policy() => new()
    {
        MinDelaySeconds = 0, MaxDelaySeconds = 0, BatchSize = 1000, BatchRestSeconds = 0, DailyCapPerWorkspace = 100_000,
        SendWindowStart = new TimeOnly(0, 0), SendWindowEnd = new TimeOnly(0, 0),
    };

    private static async Task<Guid> AddListAsync(BroadcastHost host, string name, params Guid[] contactIds)
    {
        await using var db = host.Database.CreateForTenant(host.TenantId);
        var list = new ContactList { TenantId = host.TenantId, WorkspaceId = host.WorkspaceId, Name = name };
        db.ContactLists.Add(list);
        foreach (var id in contactIds)
            db.ContactListMembers.Add(new ContactListMember { TenantId = host.TenantId, WorkspaceId = host.WorkspaceId, ContactListId = list.Id, ContactId = id });
        await db.SaveChangesAsync();
        return list.Id;
    }

    [Fact]
    public async Task AOneTimeEnrolmentFromAList_RemembersTheList_InTheEditorAndPerContact()
    {
        await using var host = await BroadcastHost.CreateAsync(Policy());
        var ani = await host.AddContactAsync("+628123000021", "Ani");
        var budi = await host.AddContactAsync("+628123000022", "Budi");
        var listId = await AddListAsync(host, "Pelanggan setia", ani.Id);
        var sequences = host.Services.CreateScope().ServiceProvider.GetRequiredService<SequenceService>();

        var saved = await sequences.SaveAsync(null, new SequenceRequest
        {
            Name = "Sambutan", WorkspaceId = host.WorkspaceId, EnrolSource = SequenceEnrolSource.List, EnrolSourceId = listId,
            Steps = [new SequenceStepRequest { MessageTemplate = "Halo {name}" }],
        });
        Assert.True(saved.Succeeded, string.Join("; ", saved.Errors));
        Assert.Equal(1, saved.Enrolled);
        Assert.Equal(1, await sequences.EnrolAsync(saved.SequenceId!.Value, [budi.Id]));

        var reopened = await sequences.GetAsync(saved.SequenceId.Value);
        Assert.Equal((SequenceEnrolSource.List, listId), (reopened!.EnrolSource, reopened.EnrolSourceId));
        var progress = await sequences.ProgressAsync(saved.SequenceId.Value);
        var fromList = progress.Single(p => p.ContactId == ani.Id);
        Assert.Equal((SequenceEnrolSource.List, "Pelanggan setia"), (fromList.Source, fromList.SourceName));
        var byHand = progress.Single(p => p.ContactId == budi.Id);
        Assert.Equal((SequenceEnrolSource.None, null), (byHand.Source, byHand.SourceName));
    }

    [Fact]
    public async Task AStepWithAFile_GoesOutAsMediaWithTheStepTextAsCaption_ThroughThePacedQueue()
    {
        await using var waha = await FakeWahaServer.StartAsync();
        waha.AddSession(BroadcastHost.Session);
        await using var host = await BroadcastHost.CreateAsync(Policy(), waha.BaseAddress);
        var ani = await host.AddContactAsync("+628123000031", "Ani");
        var file = await host.InScopeAsync(sp => sp.GetRequiredService<BroadcastService>()
            .UploadAttachmentAsync(host.WorkspaceId, new MemoryStream(Png), "katalog.png"));
        var sequences = host.Services.CreateScope().ServiceProvider.GetRequiredService<SequenceService>();

        // A file of no workspace of this tenant is refused and nothing is saved.
        var refused = await sequences.SaveAsync(null, new SequenceRequest
        {
            Name = "Katalog", WorkspaceId = host.WorkspaceId, Steps = [new SequenceStepRequest { MessageTemplate = "Hai", AttachmentId = Guid.NewGuid() }],
        });
        Assert.False(refused.Succeeded);
        Assert.Empty(await sequences.ListAsync(host.WorkspaceId));

        var saved = await sequences.SaveAsync(null, new SequenceRequest
        {
            Name = "Katalog", WorkspaceId = host.WorkspaceId,
            Steps = [new SequenceStepRequest { MessageTemplate = "Katalog untuk {name}", AttachmentId = file!.Id }, new SequenceStepRequest { DelayDays = 1, MessageTemplate = "Sampai jumpa" }],
        });
        Assert.True(saved.Succeeded, string.Join("; ", saved.Errors));
        Assert.Equal("katalog.png", (await sequences.GetAsync(saved.SequenceId!.Value))!.Steps[0].AttachmentName);
        await sequences.EnrolAsync(saved.SequenceId.Value, [ani.Id]);
        await host.RunToEndAsync();

        var media = Assert.Single(waha.RequestsTo("POST", "/api/sendImage")).Json!;
        Assert.Equal("628123000031@c.us", media["chatId"]!.GetValue<string>());
        Assert.StartsWith("Katalog untuk Ani", media["caption"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(Png, Convert.FromBase64String(media["file"]!["data"]!.GetValue<string>()));
        // The second step has no file: plain text, a day later.
        var text = Assert.Single(waha.RequestsTo("POST", "/api/sendText")).Json!;
        Assert.StartsWith("Sampai jumpa", text["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnrolSteppingAndAReply_EachTellTheSequencesTopic()
    {
        await using var host = await BroadcastHost.CreateAsync(Policy());
        var ani = await host.AddContactAsync("+628123000041", "Ani");
        var sequences = host.Services.CreateScope().ServiceProvider.GetRequiredService<SequenceService>();
        var id = (await sequences.CreateAsync(host.WorkspaceId, "Sambutan",
            [new SequenceStepInput(0, 0, null, "Halo"), new SequenceStepInput(1, 0, null, "Besok")], enrolOnListId: null))!.Value;
        var events = new List<SequenceProgressChanged>();
        using var _ = host.Services.GetRequiredService<IRealtimeBus>().Subscribe(BroadcastTopics.Sequence(id), e =>
        {
            lock (events)
                events.Add((SequenceProgressChanged)e);
            return Task.CompletedTask;
        });

        // Subscribers hear events off the publisher's thread: wait for each one to arrive.
        async Task HeardAsync(int count)
        {
            for (var waited = 0; waited < 10_000; waited += 10)
            {
                lock (events)
                    if (events.Count >= count)
                        break;
                await Task.Delay(10);
            }
            lock (events)
                Assert.Equal(count, events.Count);
        }

        await sequences.EnrolAsync(id, [ani.Id]);
        await HeardAsync(1);
        await host.RunOnceAsync();
        await HeardAsync(2);
        await host.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<AudienceReplies>().HandleInboundAsync(host.TenantId, host.WorkspaceId, ani.Phone, "oke");
            return 0;
        });
        await HeardAsync(3);
        Assert.All(events, e => Assert.Equal((host.TenantId, id), (e.TenantId, e.SequenceId)));
    }
}
