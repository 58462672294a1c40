using System.Globalization;
using Bunit;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Inbox;
using KelolaPesan.Web.Components.Pages.Home;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Home;

/// <summary>The dashboard card's running broadcasts, over a real SQLite file and the in-process bus.</summary>
public sealed class RunningBroadcastsTests : BunitTestBase, IAsyncLifetime
{
    private InboxHarness _h = null!;

    public RunningBroadcastsTests()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
    }

    public override async Task InitializeAsync()
    {
        _h = await InboxHarness.CreateAsync();
        var factory = _h.Factory(_h.TenantA);
        var audit = new AuditLog(factory, _h.Clock);
        Services.AddSingleton(new BroadcastService(factory, new PolicyService(factory, audit), new WatermarkService(factory, audit),
            new NoBroadcastScheduler(), new KelolaPesan.Data.Common.RelationalBulkInserter(), _h.Attachments, _h.Bus, _h.Clock));
        Services.AddSingleton<IRealtimeBus>(_h.Bus);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await _h.DisposeAsync();
    }

    private async Task<Broadcast> AddAsync(Workspace workspace, string name, BroadcastStatus status, int total, int sent)
    {
        await using var db = _h.Database.CreateSystem();
        var broadcast = new Broadcast
        {
            TenantId = workspace.TenantId, WorkspaceId = workspace.Id, Name = name, MessageTemplate = "Promo", Status = status,
            TotalRecipients = total, SentCount = sent, PendingCount = total - sent,
        };
        db.Broadcasts.Add(broadcast);
        await db.SaveChangesAsync();
        return broadcast;
    }

    [Fact]
    public async Task ShowsTheWorkspacesRunningBroadcasts_AndFollowsTheirProgressLive()
    {
        var promo = await AddAsync(_h.Shop, "Promo Lebaran", BroadcastStatus.Running, 200, 50);
        await AddAsync(_h.Shop, "Sudah selesai", BroadcastStatus.Completed, 10, 10);
        await AddAsync(_h.Shop, "Dibatalkan", BroadcastStatus.Cancelled, 10, 2);
        await AddAsync(_h.Care, "Workspace lain", BroadcastStatus.Running, 10, 1);

        var cut = Render<RunningBroadcasts>(p => p.Add(c => c.TenantId, _h.TenantA).Add(c => c.WorkspaceId, _h.Shop.Id));

        var row = Assert.Single(cut.FindAll("[data-testid=running-broadcast]"));
        Assert.Equal("Promo Lebaran", row.QuerySelector("[data-testid=running-broadcast-name]")!.TextContent);
        Assert.Equal("25%", row.QuerySelector("[data-testid=running-broadcast-percent]")!.TextContent);
        Assert.Equal("50 of 200 sent", row.QuerySelector("[data-testid=running-broadcast-count]")!.TextContent);

        await using (var db = _h.Database.CreateSystem())
            await db.Broadcasts.Where(b => b.Id == promo.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.SentCount, 150).SetProperty(b => b.PendingCount, 50));
        await _h.Bus.PublishAsync(BroadcastTopics.List(_h.TenantA), new BroadcastProgressChanged(_h.TenantA, _h.Shop.Id, promo.Id));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("75%", cut.Find("[data-testid=running-broadcast-percent]").TextContent);
            Assert.Equal("150 of 200 sent", cut.Find("[data-testid=running-broadcast-count]").TextContent);
        }, TimeSpan.FromSeconds(5));

        // Finished: it leaves the card.
        await using (var db = _h.Database.CreateSystem())
            await db.Broadcasts.Where(b => b.Id == promo.Id).ExecuteUpdateAsync(s => s.SetProperty(b => b.Status, BroadcastStatus.Completed));
        await _h.Bus.PublishAsync(BroadcastTopics.List(_h.TenantA), new BroadcastProgressChanged(_h.TenantA, _h.Shop.Id, promo.Id));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=running-broadcast]")), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task APausedBroadcast_StaysOnTheCard_MarkedPaused_WithItsPage()
    {
        var paused = await AddAsync(_h.Shop, "Dijeda", BroadcastStatus.Paused, 10, 2);

        var cut = Render<RunningBroadcasts>(p => p.Add(c => c.TenantId, _h.TenantA).Add(c => c.WorkspaceId, _h.Shop.Id).Add(c => c.CanOpen, true));

        var row = Assert.Single(cut.FindAll("[data-testid=running-broadcast]"));
        Assert.Equal("Paused", row.GetAttribute("data-status"));
        Assert.Equal("Paused", row.QuerySelector("[data-testid=broadcast-status]")!.GetAttribute("data-status"));
        Assert.Equal($"/broadcasts/{paused.Id}", row.QuerySelector("a[data-testid=running-broadcast-name]")!.GetAttribute("href"));
        Assert.Equal("PausedByPerson", row.QuerySelector("[data-testid=broadcast-waiting]")!.GetAttribute("data-reason"));

        // For an agent, who cannot open a broadcast, the name is no link.
        cut.Render(p => p.Add(c => c.CanOpen, false));
        Assert.Null(cut.Find("[data-testid=running-broadcast]").QuerySelector("a"));
    }

    [Fact]
    public async Task SkippedNumbers_AreNotProgress_ButToldApart()
    {
        await using (var db = _h.Database.CreateSystem())
        {
            db.Broadcasts.Add(new Broadcast
            {
                TenantId = _h.Shop.TenantId, WorkspaceId = _h.Shop.Id, Name = "Promo", MessageTemplate = "Promo", Status = BroadcastStatus.Running,
                TotalRecipients = 10, PendingCount = 7, SkippedCount = 3,
            });
            await db.SaveChangesAsync();
        }

        var cut = Render<RunningBroadcasts>(p => p.Add(c => c.TenantId, _h.TenantA).Add(c => c.WorkspaceId, _h.Shop.Id));

        Assert.Equal("0%", cut.Find("[data-testid=running-broadcast-percent]").TextContent);
        Assert.Equal("0 of 7 sent · 3 skipped", cut.Find("[data-testid=running-broadcast-count]").TextContent);
    }

    [Fact]
    public async Task ABroadcastStartedAfterTheCardLoaded_Appears()
    {
        var cut = Render<RunningBroadcasts>(p => p.Add(c => c.TenantId, _h.TenantA).Add(c => c.WorkspaceId, _h.Shop.Id));
        Assert.Empty(cut.FindAll("[data-testid=running-broadcast]"));

        var started = await AddAsync(_h.Shop, "Baru mulai", BroadcastStatus.Running, 4, 0);
        await _h.Bus.PublishAsync(BroadcastTopics.List(_h.TenantA), new BroadcastProgressChanged(_h.TenantA, _h.Shop.Id, started.Id));

        cut.WaitForAssertion(() => Assert.Equal("0%", cut.Find("[data-testid=running-broadcast-percent]").TextContent), TimeSpan.FromSeconds(5));
    }
}
