using System.Globalization;
using Bunit;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web.Components.Pages.Inbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Snapshooter;
using Snapshooter.Xunit;

namespace KelolaPesan.Tests.Inbox;

public sealed class InboxComponentTests : BunitTestBase, IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 3, 15, 0, TimeSpan.Zero);
    private InboxHarness? _h;

    public InboxComponentTests()
    {
        // Snapshots and texts in the product's default language, whatever the machine's culture.
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("id");
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_h is not null)
            await _h.DisposeAsync();
    }

    private static MessageView Outbound(MessageStatus status, string body = "Halo kak, pesanan dikirim hari ini", string? error = null) =>
        new(Guid.Parse("0195f000-0000-7000-8000-000000000001"), Guid.Empty, MessageDirection.Outbound, MessageOrigin.Agent,
            "Budi (Agen)", body, status, error, At, null);

    [Theory]
    [InlineData(MessageStatus.Pending)]
    [InlineData(MessageStatus.Sent)]
    [InlineData(MessageStatus.Delivered)]
    [InlineData(MessageStatus.Read)]
    [InlineData(MessageStatus.Failed)]
    public void Bubble_ShowsEachStatus(MessageStatus status)
    {
        var error = status == MessageStatus.Failed ? "Gateway SendText failed: session is STOPPED" : null;

        var cut = Render<MessageBubble>(p => p.Add(b => b.Message, Outbound(status, error: error)));

        Assert.Equal(status.ToString(), cut.Find("[data-testid=ticks]").GetAttribute("data-status"));
        if (error is not null)
            Assert.Contains(error, cut.Find("[data-testid=send-error]").TextContent);
        Snapshot.Match(cut.Markup, SnapshotNameExtension.Create(status));
    }

    [Fact]
    public void Bubble_RendersAScriptBodyAsText_NeverAsMarkup()
    {
        var cut = Render<MessageBubble>(p => p.Add(b => b.Message, Outbound(MessageStatus.Sent, "<script>alert(1)</script>")));

        Assert.Empty(cut.FindAll("script"));
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", cut.Markup);
        Assert.Equal("<script>alert(1)</script>", cut.Find("[data-testid=message-text]").TextContent);
    }

    [Fact]
    public void Bubble_MakesHttpLinksSafeAnchors_AndLeavesJavascriptAsText()
    {
        var cut = Render<MessageBubble>(p => p.Add(b => b.Message,
            Outbound(MessageStatus.Sent, "Katalog: https://toko.id/katalog?x=1 atau javascript:alert(1)")));

        var link = Assert.Single(cut.FindAll("[data-testid=message-text] a"));
        Assert.Equal("https://toko.id/katalog?x=1", link.GetAttribute("href"));
        Assert.Equal("noopener noreferrer nofollow", link.GetAttribute("rel"));
        Assert.Equal("_blank", link.GetAttribute("target"));
        Assert.Contains("javascript:alert(1)", cut.Find("[data-testid=message-text]").TextContent);
    }

    [Fact]
    public void Bubble_ShowsImagesInline_AndOtherFilesAsDownloads_ThroughTheEndpoint()
    {
        var image = Outbound(MessageStatus.Sent, "") with { Attachment = new AttachmentView(Guid.Parse("0195f000-0000-7000-8000-0000000000aa"), "foto.png", "image/png", 2048, AttachmentKind.Image) };
        var pdf = Outbound(MessageStatus.Sent, "") with { Attachment = new AttachmentView(Guid.Parse("0195f000-0000-7000-8000-0000000000bb"), "nota.pdf", "application/pdf", 4096, AttachmentKind.Document) };

        var imageCut = Render<MessageBubble>(p => p.Add(b => b.Message, image));
        var pdfCut = Render<MessageBubble>(p => p.Add(b => b.Message, pdf));

        Assert.Equal("/attachments/0195f000-0000-7000-8000-0000000000aa", imageCut.Find("[data-testid=message-image]").GetAttribute("src"));
        Assert.Empty(pdfCut.FindAll("img"));
        Assert.Equal("/attachments/0195f000-0000-7000-8000-0000000000bb", pdfCut.Find("[data-testid=message-file]").GetAttribute("href"));
    }

    [Fact]
    public async Task ChatList_ShowsChatsNewestFirst_WithNameOrNumber_Preview_AndUnreadBadge()
    {
        _h = await InboxHarness.CreateAsync();
        var named = await _h.AddChatAsync(_h.Shop, "Andi", "+628120001", InboxHarness.Start.AddMinutes(-5));
        var unnamed = await _h.AddChatAsync(_h.Shop, "", "+628120002", InboxHarness.Start.AddMinutes(-1));
        await _h.ReceiveAsync(unnamed, "<b>tebal?</b>", InboxHarness.Start);
        Services.AddSingleton(_h.Inbox(_h.TenantA));
        Services.AddSingleton<TimeProvider>(_h.Clock);

        var cut = Render<ChatList>(p => p.Add(c => c.Viewer, _h.Agent).Add(c => c.WorkspaceId, _h.Shop.Id));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=chat-row]").Count));
        var rows = cut.FindAll("[data-testid=chat-row]");
        Assert.Equal([unnamed.Id.ToString(), named.Id.ToString()], rows.Select(r => r.GetAttribute("data-chat-id")));
        Assert.Equal("+628120002", rows[0].QuerySelector("[data-testid=chat-title]")!.TextContent);
        Assert.Equal("1", rows[0].QuerySelector("[data-testid=chat-unread]")!.TextContent);
        Assert.Contains("&lt;b&gt;tebal?&lt;/b&gt;", rows[0].OuterHtml);
        Assert.Null(rows[1].QuerySelector("[data-testid=chat-unread]"));
        Assert.Equal($"/inbox/{named.Id}", rows[1].GetAttribute("href"));
    }

    [Fact]
    public async Task ChatList_Refresh_ReSortsWhenAChatGetsANewMessage()
    {
        _h = await InboxHarness.CreateAsync();
        var older = await _h.AddChatAsync(_h.Shop, "Lama", "+628120001", InboxHarness.Start.AddMinutes(-5));
        var newer = await _h.AddChatAsync(_h.Shop, "Baru", "+628120002", InboxHarness.Start.AddMinutes(-1));
        Services.AddSingleton(_h.Inbox(_h.TenantA));
        Services.AddSingleton<TimeProvider>(_h.Clock);
        var cut = Render<ChatList>(p => p.Add(c => c.Viewer, _h.Owner).Add(c => c.WorkspaceId, _h.Shop.Id));
        cut.WaitForAssertion(() => Assert.Equal(newer.Id.ToString(), cut.FindAll("[data-testid=chat-row]")[0].GetAttribute("data-chat-id")));

        await _h.ReceiveAsync(older, "masih ada?", InboxHarness.Start);
        var mark = _h.Inbox(_h.TenantA).MarkChatLists();
        await cut.InvokeAsync(() => cut.Instance.RefreshAsync(mark));

        cut.WaitForAssertion(() => Assert.Equal(older.Id.ToString(), cut.FindAll("[data-testid=chat-row]")[0].GetAttribute("data-chat-id")));
    }

    [Fact]
    public async Task SidePanel_NamesAHolderWhoCannotTakeChatsAnyMore_NotTheirId()
    {
        _h = await InboxHarness.CreateAsync();
        var chat = await _h.AddChatAsync(_h.Shop, "Pembeli", "+628120003", InboxHarness.Start, assignedTo: _h.Agent.UserId);
        await using (var db = _h.Database.CreateSystem())
            await db.Users.Where(u => u.Id == _h.Agent.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false));
        var inbox = _h.Inbox(_h.TenantA);
        Services.AddSingleton(inbox);
        Services.AddSingleton<TimeProvider>(_h.Clock);
        var detail = (await inbox.GetChatAsync(_h.Owner, chat.Id))!;
        var holder = await NameOfAsync(_h.Agent.UserId);

        // The bot switch has its own service and tests: not this one's concern.
        ComponentFactories.AddStub<KelolaPesan.Web.Components.Pages.Automation.BotPauseSwitch>();
        var cut = Render<ChatSidePanel>(p => p.Add(c => c.Chat, detail).Add(c => c.Viewer, _h.Owner));

        cut.WaitForAssertion(() => Assert.Contains(holder, cut.Find("[data-testid=assign]").OuterHtml, StringComparison.Ordinal));
        Assert.DoesNotContain(_h.Agent.UserId.ToString(), cut.Find("[data-testid=assign]").OuterHtml, StringComparison.Ordinal);
    }

    private async Task<string> NameOfAsync(Guid userId)
    {
        await using var db = _h!.Database.CreateSystem();
        return await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).SingleAsync();
    }
}
