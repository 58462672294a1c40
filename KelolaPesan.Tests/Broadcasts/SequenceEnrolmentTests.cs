using System.Globalization;
using Bunit;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Tests.Inbox;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web.Components.Pages.Broadcasts;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>The sequence editor's source picker over a real SQLite file: a workspace without lists or segments says so.</summary>
public sealed class SequenceEnrolmentTests : BunitTestBase, IAsyncLifetime
{
    private InboxHarness _h = null!;

    public SequenceEnrolmentTests()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
    }

    public override async Task InitializeAsync()
    {
        _h = await InboxHarness.CreateAsync();
        var factory = _h.Factory(_h.TenantA);
        Services.AddSingleton(new ContactCatalogService(factory));
        Services.AddSingleton(new SegmentService(factory));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await _h.DisposeAsync();
    }

    [Theory]
    [InlineData(SequenceEnrolSource.List, "This workspace has no lists yet")]
    [InlineData(SequenceEnrolSource.Segment, "This workspace has no segments yet")]
    public void AWorkspaceWithoutSources_SaysWhereToMakeOne_InsteadOfAnEmptyPicker(SequenceEnrolSource source, string hint)
    {
        var cut = Render<SequenceEnrolment>(p => p.Add(c => c.Request, new SequenceRequest { WorkspaceId = _h.Shop.Id, EnrolSource = source }));

        cut.WaitForAssertion(() => Assert.Contains(hint, cut.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWorkspaceWithAList_OffersIt_WithoutTheHint()
    {
        await using (var db = _h.Database.CreateSystem())
        {
            db.ContactLists.Add(new ContactList { TenantId = _h.TenantA, WorkspaceId = _h.Shop.Id, Name = "Pelanggan" });
            await db.SaveChangesAsync();
        }

        var cut = Render<SequenceEnrolment>(p => p.Add(c => c.Request, new SequenceRequest { WorkspaceId = _h.Shop.Id, EnrolSource = SequenceEnrolSource.List }));

        cut.WaitForAssertion(() => Assert.DoesNotContain("has no lists yet", cut.Markup, StringComparison.Ordinal));
    }
}
