using System.Globalization;
using Bunit;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Tests.Inbox;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web.Components.Pages.Broadcasts;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>The sequence progress page over a real SQLite file and the in-process bus: it follows enrolments without a reload.</summary>
public sealed class SequenceProgressPageTests : BunitTestBase, IAsyncLifetime
{
    private InboxHarness _h = null!;
    private SequenceService _sequences = null!;

    public SequenceProgressPageTests()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
    }

    public override async Task InitializeAsync()
    {
        _h = await InboxHarness.CreateAsync();
        var factory = _h.Factory(_h.TenantA);
        var audit = new AuditLog(factory, _h.Clock);
        _sequences = new SequenceService(factory, new PolicyService(factory, audit), new WatermarkService(factory, audit), new NoBroadcastScheduler(), _h.Bus, _h.Clock);
        Services.AddSingleton(_sequences);
        Services.AddSingleton<IRealtimeBus>(_h.Bus);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await _h.DisposeAsync();
    }

    [Fact]
    public async Task EnrolmentsAndStepsAppearLive_WithTheirSource()
    {
        Contact ani;
        ContactList list;
        await using (var db = _h.Database.CreateSystem())
        {
            ani = new Contact { TenantId = _h.TenantA, WorkspaceId = _h.Shop.Id, Name = "Ani", Phone = "+628123000051" };
            list = new ContactList { TenantId = _h.TenantA, WorkspaceId = _h.Shop.Id, Name = "Pelanggan" };
            db.Contacts.Add(ani);
            db.ContactLists.Add(list);
            db.ContactListMembers.Add(new ContactListMember { TenantId = _h.TenantA, WorkspaceId = _h.Shop.Id, ContactListId = list.Id, ContactId = ani.Id });
            await db.SaveChangesAsync();
        }
        var id = (await _sequences.CreateAsync(_h.Shop.Id, "Sambutan",
            [new SequenceStepInput(0, 0, null, "Halo {name}"), new SequenceStepInput(2, 0, null, "Hari kedua")], enrolOnListId: null))!.Value;

        var cut = Render<SequenceProgressPage>(p => p.Add(c => c.Id, id));
        cut.WaitForAssertion(() => cut.Find("[data-testid=sequence-no-enrolments]"));

        // Enrolled elsewhere (the editor's save): the page shows the contact, waiting for step 1, from the list.
        Assert.Equal(1, await _sequences.EnrolListAsync(id, list.Id));
        cut.WaitForAssertion(() =>
        {
            var row = Assert.Single(cut.FindAll("[data-testid=sequence-progress] tbody tr"));
            Assert.Contains("Ani", row.TextContent, StringComparison.Ordinal);
            Assert.Equal("Step 1 of 2", row.QuerySelector("[data-testid=enrolment-step]")!.TextContent);
            Assert.Equal("List \"Pelanggan\"", row.QuerySelector("[data-testid=enrolment-source]")!.TextContent);
        }, TimeSpan.FromSeconds(5));

        // The queue takes step 1: the page moves on to step 2 by itself.
        await _sequences.MaterialiseDueAsync(_h.TenantA, _h.Shop.Id);
        cut.WaitForAssertion(() => Assert.Equal("Step 2 of 2", cut.Find("[data-testid=enrolment-step]").TextContent), TimeSpan.FromSeconds(5));
    }
}
