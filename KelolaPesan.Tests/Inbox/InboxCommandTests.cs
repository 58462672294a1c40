using FluentValidation;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using KelolaPesan.Tests.Broadcasts;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using KelolaPesan.Data;

namespace KelolaPesan.Tests.Inbox;

public sealed class InboxCommandTests : IAsyncLifetime
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3];
    private InboxHarness _h = null!;

    // Each test makes its harness on its provider (a theory over ProvidersAttribute).
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_h is not null)
            await _h.DisposeAsync();
    }

    [Theory, Providers]
    public async Task MarkRead_ClearsTheChat_AndTakesItsCountOffTheWorkspace_AndTellsEveryBrowser(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var read = await _h.AddChatAsync(_h.Shop, "Dibaca", "+628120001", InboxHarness.Start);
        var other = await _h.AddChatAsync(_h.Shop, "Lain", "+628120002", InboxHarness.Start);
        for (var i = 0; i < 3; i++)
            await _h.ReceiveAsync(read, "halo " + i);
        await _h.ReceiveAsync(other, "p");
        await _h.ReceiveAsync(other, "q");
        var tenantEvents = _h.Record(Topics.Tenant(_h.TenantA));
        var workspaceEvents = _h.Record(Topics.Workspace(_h.Shop.Id));

        Assert.True(await _h.Inbox(_h.TenantA).MarkReadAsync(_h.Agent, read.Id));
        Assert.False(await _h.Inbox(_h.TenantA).MarkReadAsync(_h.Agent, read.Id));

        var shop = await _h.ReloadAsync(_h.Shop);
        Assert.Equal(0, (await _h.ReloadAsync(read)).UnreadCount);
        Assert.Equal((2, 1), (shop.UnreadMessages, shop.UnreadChats));
        await InboxHarness.HeardAsync(tenantEvents, 1);
        await InboxHarness.HeardAsync(workspaceEvents, 1);
        // The stored counters after the change travel with the event: open pages move their badges without a query.
        Assert.Equal([new UnreadCountsChanged(_h.TenantA, _h.Shop.Id, UnreadChats: 1, UnreadMessages: 2)], tenantEvents);
        Assert.Equal([new ChatChanged(_h.TenantA, _h.Shop.Id, read.Id)], workspaceEvents);
    }

    [Theory, Providers]
    public async Task MarkRead_WhenTheGatewayFails_StillClears_AndRecordsTheErrorOnTheWorkspace(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var chat = await _h.AddChatAsync(_h.Care, "Care", "+628120001", InboxHarness.Start);
        await _h.ReceiveAsync(chat, "halo");

        Assert.True(await _h.Inbox(_h.TenantA).MarkReadAsync(_h.Owner, chat.Id));

        Assert.Equal(0, (await _h.ReloadAsync(_h.Care)).UnreadMessages);
        await using var db = _h.Database.CreateForTenant(_h.TenantA);
        var error = Assert.Single(await db.WorkspaceEvents.Where(e => e.WorkspaceId == _h.Care.Id).ToListAsync());
        Assert.Equal((WorkspaceEventKind.Error, "MarkChatRead"), (error.Kind, error.Operation));
    }

    [Theory, Providers]
    public async Task ConcurrentInboundMessages_AndMarkReads_LoseNoUpdate(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var chats = new List<Core.Inbox.Chat>();
        for (var i = 0; i < 4; i++)
            chats.Add(await _h.AddChatAsync(_h.Shop, $"C{i}", $"+62812000{i}", InboxHarness.Start));
        var inbox = _h.Inbox(_h.TenantA);

        var inbound = Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            for (var n = 0; n < 40; n++)
                await _h.ReceiveAsync(chats[(writer + n) % chats.Count], $"m{writer}-{n}");
        }));
        var readers = Enumerable.Range(0, 2).Select(reader => Task.Run(async () =>
        {
            for (var n = 0; n < 40; n++)
                await inbox.MarkReadAsync(_h.Owner, chats[(reader + n) % chats.Count].Id);
        }));
        await Task.WhenAll(inbound.Concat(readers));

        await using var db = _h.Database.CreateForTenant(_h.TenantA);
        var counts = await db.Chats.Where(c => c.WorkspaceId == _h.Shop.Id).Select(c => c.UnreadCount).ToListAsync();
        var shop = await _h.ReloadAsync(_h.Shop);
        Assert.Equal(counts.Sum(), shop.UnreadMessages);
        Assert.Equal(counts.Count(c => c > 0), shop.UnreadChats);
        Assert.Equal(160, await db.Messages.CountAsync(m => m.WorkspaceId == _h.Shop.Id));

        // And reading everything brings the workspace back to exactly zero.
        foreach (var chat in chats)
            await inbox.MarkReadAsync(_h.Owner, chat.Id);
        shop = await _h.ReloadAsync(_h.Shop);
        Assert.Equal((0, 0), (shop.UnreadMessages, shop.UnreadChats));
    }

    [Theory, Providers]
    public async Task SendText_GoesToTheGatewayAtOnce_PendingThenSent_WithTheGatewaysId(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var chat = await _h.AddChatAsync(_h.Shop, "Pembeli", "+628123450001", InboxHarness.Start.AddHours(-1));
        var events = _h.Record(Topics.Workspace(_h.Shop.Id));

        var sent = await _h.Inbox(_h.TenantA).SendTextAsync(_h.Agent, chat.Id, "Halo kak, stok ada 😊");

        Assert.Equal(MessageStatus.Sent, sent.Status);
        // The reply also took the unassigned chat (the tenant's assign-on-reply, on by default): every browser is told.
        await InboxHarness.HeardAsync(events, 3);
        Assert.Collection(events,
            e => Assert.Equal(new ChatMessageAdded(_h.TenantA, _h.Shop.Id, chat.Id, sent.Id, MessageDirection.Outbound), e),
            e => Assert.Equal(new ChatChanged(_h.TenantA, _h.Shop.Id, chat.Id), e),
            e => Assert.Equal(new ChatMessageStatusChanged(_h.TenantA, _h.Shop.Id, chat.Id, sent.Id, MessageStatus.Sent), e));
        await using var db = _h.Database.CreateForTenant(_h.TenantA);
        var stored = await db.Messages.SingleAsync(m => m.Id == sent.Id);
        Assert.Equal((MessageDirection.Outbound, MessageOrigin.Agent, _h.Agent.UserId), (stored.Direction, stored.Origin, stored.SentByUserId));
        var atGateway = Assert.Single(await _h.Simulator.GetChatMessagesAsync("sess-shop", "628123450001@c.us", 10, fromMe: true, CancellationToken.None));
        Assert.Equal(atGateway.Id, stored.ExternalMessageId);
        Assert.Equal("Halo kak, stok ada 😊", atGateway.Body);
        var updated = await _h.ReloadAsync(chat);
        Assert.Equal((InboxHarness.Start, "Halo kak, stok ada 😊"), (updated.LastAgentReplyAt!.Value, updated.LastMessagePreview));
        Assert.Equal(InboxHarness.Start, updated.LastMessageAt);
    }

    [Theory, Providers]
    public async Task SendText_WhenTheGatewayRefuses_IsFailedWithTheReason_AndKept(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var chat = await _h.AddChatAsync(_h.Care, "Care", "+628120001", InboxHarness.Start);

        var sent = await _h.Inbox(_h.TenantA).SendTextAsync(_h.Owner, chat.Id, "halo");

        Assert.Equal(MessageStatus.Failed, sent.Status);
        Assert.Contains("sess-missing", sent.Error);
        var history = await _h.Inbox(_h.TenantA).GetMessagesAsync(_h.Owner, chat.Id);
        Assert.Equal(MessageStatus.Failed, Assert.Single(history.Messages).Status);
    }

    // WAHA echoes a send, often before the send call answers, and the customer's phone can ack it meanwhile: the call's
    // own answer must not set a Read reply back to Sent.
    [Theory, Providers]
    public async Task SendText_WhoseEchoAndReadAckCameBeforeTheCallAnswered_StaysRead(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider, inner => new LosingGateway(inner, _ => false, ArriveWhileInFlightAsync));
        var chat = await _h.AddChatAsync(_h.Shop, "Pembeli", "+628123450001", InboxHarness.Start.AddHours(-1));

        var sent = await _h.Inbox(_h.TenantA).SendTextAsync(_h.Agent, chat.Id, "Siap kak");

        Assert.Equal(MessageStatus.Read, sent.Status);
        await using var db = _h.Database.CreateForTenant(_h.TenantA);
        var stored = await db.Messages.SingleAsync(m => m.Id == sent.Id);
        Assert.Equal(MessageStatus.Read, stored.Status);
        var atGateway = Assert.Single(await _h.Simulator.GetChatMessagesAsync("sess-shop", "628123450001@c.us", 10, fromMe: true, CancellationToken.None));
        Assert.Equal(atGateway.Id, stored.ExternalMessageId);
    }

    // The call timed out after the gateway had sent, and the echo showed it: the reply is Sent, not Failed.
    [Theory, Providers]
    public async Task SendText_WhoseCallFailedAfterTheEchoShowedItWentOut_IsSent(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider, inner => new LosingGateway(inner, _ => true, (message, id) => EchoAsync(message, id)));
        var chat = await _h.AddChatAsync(_h.Shop, "Pembeli", "+628123450001", InboxHarness.Start.AddHours(-1));

        var sent = await _h.Inbox(_h.TenantA).SendTextAsync(_h.Agent, chat.Id, "Siap kak");

        Assert.Equal((MessageStatus.Sent, null), (sent.Status, sent.Error));
        await using var db = _h.Database.CreateForTenant(_h.TenantA);
        Assert.Equal(MessageStatus.Sent, (await db.Messages.SingleAsync(m => m.Id == sent.Id)).Status);
    }

    private async Task ArriveWhileInFlightAsync(Core.Gateways.GatewayTextMessage message, string id)
    {
        await EchoAsync(message, id);
        Assert.True(await Inbound().HandleAckAsync(_h.TenantA, _h.Shop.Id, id, MessageStatus.Read));
    }

    private async Task EchoAsync(Core.Gateways.GatewayTextMessage message, string id)
    {
        var echo = new Core.Gateways.GatewayChatMessage(id, _h.Clock.GetUtcNow(), "6281100000001@c.us", message.To, FromMe: true,
            message.Text, false, null, MessageStatus.Sent, null, null);
        Assert.Equal(InboundOutcome.Duplicate, await Inbound().HandleReceivedAsync(_h.TenantA, _h.Shop.Id, message.Session, echo));
    }

    private InboundMessageService Inbound() => _h.TenantScope(_h.TenantA).GetRequiredService<InboundMessageService>();

    [Theory, Providers]
    public async Task SendText_RefusesAnEmptyText(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var chat = await _h.AddChatAsync(_h.Shop, "Pembeli", "+628120001", InboxHarness.Start);
        await Assert.ThrowsAsync<ValidationException>(() => _h.Inbox(_h.TenantA).SendTextAsync(_h.Owner, chat.Id, "   "));
    }

    [Theory, Providers]
    public async Task SendAttachment_DetectsTheTypeFromTheBytes_NotTheName_AndSendsTheData(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var chat = await _h.AddChatAsync(_h.Shop, "Pembeli", "+628123450001", InboxHarness.Start);
        var inbox = _h.Inbox(_h.TenantA);

        var image = await inbox.SendAttachmentAsync(_h.Agent, chat.Id, new OutgoingFile(new MemoryStream(Png), "../../foto.exe"), "ini fotonya");
        var fake = await inbox.SendAttachmentAsync(_h.Agent, chat.Id, new OutgoingFile(new MemoryStream("<html>hi</html>"u8.ToArray()), "gambar.jpg"), null);

        Assert.Equal((MessageStatus.Sent, "image/png", AttachmentKind.Image, "foto.exe"),
            (image.Status, image.Attachment!.MimeType, image.Attachment.Kind, image.Attachment.FileName));
        Assert.Equal(("application/octet-stream", AttachmentKind.File), (fake.Attachment!.MimeType, fake.Attachment.Kind));
        var media = (await _h.Simulator.GetChatMessagesAsync("sess-shop", "628123450001@c.us", 10, fromMe: true, CancellationToken.None))
            .Single(m => m.Body == "ini fotonya").Media!;
        Assert.Equal(Png, (await _h.Simulator.DownloadMediaAsync(media.Url!, 1000, CancellationToken.None)).Content);
        var found = await inbox.FindAttachmentAsync(_h.Agent, image.Attachment.Id);
        await using var stored = await _h.Attachments.OpenReadAsync(found!.StorageKey);
        Assert.Equal(Png.Length, stored!.Length);
    }

    [Theory, Providers]
    public async Task SendAttachment_OverThePolicyLimit_KeepsNothing(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        await using (var system = _h.Database.CreateSystem())
        {
            system.Policies.Add(new PolicySettings { MaxAttachmentBytes = 1000 });
            await system.SaveChangesAsync();
        }
        var chat = await _h.AddChatAsync(_h.Shop, "Pembeli", "+628120001", InboxHarness.Start);

        await Assert.ThrowsAsync<AttachmentTooLargeException>(() =>
            _h.Inbox(_h.TenantA).SendAttachmentAsync(_h.Owner, chat.Id, new OutgoingFile(new MemoryStream(new byte[1001]), "besar.bin"), null));

        await using var db = _h.Database.CreateForTenant(_h.TenantA);
        Assert.Equal(0, await db.Attachments.CountAsync());
        Assert.Equal(0, await db.Messages.CountAsync());
        Assert.Empty(Directory.EnumerateFiles(_h.Attachments.RootDirectory, "*", SearchOption.AllDirectories));
    }

    [Theory, Providers]
    public async Task ATierOverride_WithASmallerAttachmentLimit_RefusesUploadsTheDefaultWouldAllow(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        // The default allows 10 000 bytes; tenant A's licence tier (Standard) is limited to 1000. Tenant B stays Basic (no override).
        await using (var system = _h.Database.CreateSystem())
        {
            var licenceA = await system.Tenants.Where(t => t.Id == _h.TenantA).Select(t => t.LicenceId).SingleAsync();
            await system.Licences.Where(l => l.Id == licenceA).ExecuteUpdateAsync(s => s.SetProperty(l => l.Tier, Core.Tenancy.PolicyTier.Standard));
            system.Policies.AddRange(
                new PolicySettings { MaxAttachmentBytes = 10_000 },
                new PolicySettings { Tier = Core.Tenancy.PolicyTier.Standard, MaxAttachmentBytes = 1000 });
            await system.SaveChangesAsync();
        }
        var chat = await _h.AddChatAsync(_h.Shop, "Pembeli", "+628120001", InboxHarness.Start);
        var file = Png.Concat(new byte[2000 - Png.Length]).ToArray();

        Assert.Equal(1000, await _h.Inbox(_h.TenantA).MaxAttachmentBytesAsync(_h.Shop.Id));
        Assert.Null(await _h.Inbox(_h.TenantA).MaxAttachmentBytesAsync(_h.OtherTenantShop.Id));
        Assert.Equal(10_000, await _h.Inbox(_h.TenantB).MaxAttachmentBytesAsync(_h.OtherTenantShop.Id));
        // The composer's path and the bot rule editor's path both refuse it for tenant A.
        await Assert.ThrowsAsync<AttachmentTooLargeException>(() =>
            _h.Inbox(_h.TenantA).SendAttachmentAsync(_h.Owner, chat.Id, new OutgoingFile(new MemoryStream(file), "besar.png"), null));
        await Assert.ThrowsAsync<AttachmentTooLargeException>(() =>
            _h.Inbox(_h.TenantA).UploadAttachmentAsync(_h.Shop.Id, new OutgoingFile(new MemoryStream(file), "besar.png")));
        // The same file is within tenant B's (default) limit.
        var kept = await _h.Inbox(_h.TenantB).UploadAttachmentAsync(_h.OtherTenantShop.Id, new OutgoingFile(new MemoryStream(file), "besar.png"));

        Assert.Equal(2000, kept.SizeBytes);
        await using var db = _h.Database.CreateForTenant(_h.TenantA);
        Assert.Equal(0, await db.Attachments.CountAsync());
        Assert.Equal(0, await db.Messages.CountAsync());
    }

    [Theory, Providers]
    public async Task AnotherTenantsAttachment_IsNotFound(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var foreign = await _h.AddChatAsync(_h.OtherTenantShop, "Lain", "+628120001", InboxHarness.Start);
        await _h.Simulator.EnsureSessionAsync(new Core.Gateways.GatewaySessionSetup("sess-other", new Dictionary<string, string>(), "http://x", "k"), CancellationToken.None);
        var sent = await _h.Inbox(_h.TenantB).SendAttachmentAsync(_h.OtherTenantOwner, foreign.Id, new OutgoingFile(new MemoryStream(Png), "a.png"), null);

        Assert.Null(await _h.Inbox(_h.TenantA).FindAttachmentAsync(_h.Owner, sent.Attachment!.Id));
        Assert.NotNull(await _h.Inbox(_h.TenantB).FindAttachmentAsync(_h.OtherTenantOwner, sent.Attachment.Id));
    }

    [Theory, Providers]
    public async Task Note_StaysInTheConversation_AndNeverReachesTheGateway(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var chat = await _h.AddChatAsync(_h.Shop, "Pembeli", "+628123450001", InboxHarness.Start);

        var note = await _h.Inbox(_h.TenantA).AddNoteAsync(_h.Agent, chat.Id, "Pelanggan minta dihubungi sore");

        Assert.Equal(MessageDirection.Note, note.Direction);
        Assert.Empty(await _h.Simulator.GetChatMessagesAsync("sess-shop", "628123450001@c.us", 10, null, CancellationToken.None));
        Assert.Equal([note.Id], (await _h.Inbox(_h.TenantA).GetMessagesAsync(_h.Agent, chat.Id)).Messages.Select(m => m.Id));
    }

    [Theory, Providers]
    public async Task Assign_OnlyToSomeoneWhoWorksInTheWorkspace_AndTheAgentThenSeesIt(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var chat = await _h.AddChatAsync(_h.Care, "Care", "+628120001", InboxHarness.Start);
        var inbox = _h.Inbox(_h.TenantA);

        await Assert.ThrowsAsync<ArgumentException>(() => inbox.AssignAsync(_h.Owner, chat.Id, _h.Agent2.UserId));
        await inbox.AssignAsync(_h.Owner, chat.Id, _h.Agent.UserId);

        var detail = await inbox.GetChatAsync(_h.Agent, chat.Id);
        Assert.Equal("agen", detail!.AssignedUserName);
        Assert.Equal(["agen", "pemilik"], (await inbox.ListAssignableUsersAsync(_h.Owner, _h.Care.Id)).Select(u => u.DisplayName));
    }

    [Theory, Providers]
    public async Task Labels_AreCreatedOncePerWorkspace_AndRemovable(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var a = await _h.AddChatAsync(_h.Shop, "A", "+628120001", InboxHarness.Start);
        var b = await _h.AddChatAsync(_h.Shop, "B", "+628120002", InboxHarness.Start);
        var inbox = _h.Inbox(_h.TenantA);

        var first = await inbox.AddLabelAsync(_h.Agent, a.Id, "Grosir");
        var second = await inbox.AddLabelAsync(_h.Agent, b.Id, "grosir");
        await inbox.AddLabelAsync(_h.Agent, b.Id, "grosir");
        await inbox.RemoveLabelAsync(_h.Agent, a.Id, first.Id);

        Assert.Equal(first.Id, second.Id);
        Assert.Empty((await inbox.GetChatAsync(_h.Agent, a.Id))!.Labels);
        Assert.Equal(["Grosir"], (await inbox.GetChatAsync(_h.Agent, b.Id))!.Labels.Select(l => l.Name));
    }

    [Theory, Providers]
    public async Task QuickReplies_ManagersMaintain_AgentsUse_ShortcutsAreUnique(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var replies = _h.QuickReplies(_h.TenantA);

        var saved = await replies.SaveAsync(_h.Owner, _h.Shop.Id, null, new QuickReplyInput { Shortcut = "/Ongkir", Text = "Ongkir Rp15.000" });
        await Assert.ThrowsAsync<ValidationException>(() => replies.SaveAsync(_h.Owner, _h.Shop.Id, null, new QuickReplyInput { Shortcut = "ongkir", Text = "x" }));
        await Assert.ThrowsAsync<ValidationException>(() => replies.SaveAsync(_h.Owner, _h.Shop.Id, null, new QuickReplyInput { Shortcut = "ada spasi", Text = "x" }));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => replies.SaveAsync(_h.Agent, _h.Shop.Id, null, new QuickReplyInput { Shortcut = "a", Text = "x" }));
        await replies.SaveAsync(_h.Owner, _h.Shop.Id, saved.Id, new QuickReplyInput { Shortcut = "ongkir", Text = "Ongkir Rp20.000" });

        Assert.Equal([("ongkir", "Ongkir Rp20.000")], (await replies.ListAsync(_h.Agent, _h.Shop.Id)).Select(q => (q.Shortcut, q.Text)));
        Assert.Empty(await replies.ListAsync(_h.Agent2, _h.Care.Id));
        Assert.Empty(await _h.QuickReplies(_h.TenantB).ListAsync(_h.OtherTenantOwner, _h.Shop.Id));
        await replies.DeleteAsync(_h.Owner, saved.Id);
        Assert.Empty(await replies.ListAsync(_h.Agent, _h.Shop.Id));
    }

    [Theory, Providers]
    public async Task DailyCounts_BucketByTheTenantsDay_InJakarta(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var chat = await _h.AddChatAsync(_h.Shop, "A", "+628120001", InboxHarness.Start);
        // 16:59 UTC is 23:59 in Jakarta; 17:01 UTC is already the next day there.
        var lateYesterday = new DateTimeOffset(2026, 3, 1, 16, 59, 0, TimeSpan.Zero);
        var earlyToday = new DateTimeOffset(2026, 3, 1, 17, 1, 0, TimeSpan.Zero);
        await _h.ReceiveAsync(chat, "kemarin", lateYesterday);
        await _h.ReceiveAsync(chat, "hari ini", earlyToday);
        await _h.Inbox(_h.TenantA).SendTextAsync(_h.Owner, chat.Id, "balasan");
        await _h.Inbox(_h.TenantA).AddNoteAsync(_h.Owner, chat.Id, "catatan tidak dihitung");
        await _h.ReceiveAsync(chat, "terlalu lama", InboxHarness.Start.AddDays(-20));

        var activity = await _h.Stats(_h.TenantA).GetActivityAsync(_h.Owner);

        var shop = activity.Single(a => a.WorkspaceId == _h.Shop.Id);
        Assert.Equal(14, shop.Days.Count);
        Assert.Equal(new DateOnly(2026, 3, 2), shop.Days[^1].Day);
        Assert.Equal((1, 1), (shop.InboundToday, shop.OutboundToday));
        Assert.Equal(new DailyMessageCount(new DateOnly(2026, 3, 1), 1, 0), shop.Days[^2]);
        Assert.Equal(2, shop.Days.Sum(d => d.Inbound));
        Assert.Equal([_h.Shop.Id], (await _h.Stats(_h.TenantA).GetActivityAsync(_h.Agent2)).Select(a => a.WorkspaceId));
    }

    [Theory, Providers]
    public async Task DailyCounts_ForAnAgent_CountOnlyTheChatsTheInboxShowsThem(DatabaseProvider provider)
    {
        _h = await InboxHarness.CreateAsync(provider);
        var mine = await _h.AddChatAsync(_h.Shop, "Milik agen", "+628120001", InboxHarness.Start, assignedTo: _h.Agent.UserId);
        var theirs = await _h.AddChatAsync(_h.Shop, "Milik agen2", "+628120002", InboxHarness.Start, assignedTo: _h.Agent2.UserId);
        var open = await _h.AddChatAsync(_h.Shop, "Belum ditugaskan", "+628120003", InboxHarness.Start);
        await _h.ReceiveAsync(mine, "satu");
        await _h.ReceiveAsync(theirs, "dua");
        await _h.ReceiveAsync(theirs, "tiga");
        await _h.ReceiveAsync(open, "empat", InboxHarness.Start.AddDays(-3));
        await _h.Inbox(_h.TenantA).SendTextAsync(_h.Agent2, theirs.Id, "balasan agen2");

        async Task<(int In, int Out, int InAllDays)> CountsOf(InboxViewer viewer)
        {
            var shop = (await _h.Stats(_h.TenantA).GetActivityAsync(viewer)).Single(a => a.WorkspaceId == _h.Shop.Id);
            return (shop.InboundToday, shop.OutboundToday, shop.Days.Sum(d => d.Inbound));
        }

        Assert.Equal((1, 0, 2), await CountsOf(_h.Agent));
        Assert.Equal((2, 1, 3), await CountsOf(_h.Agent2));
        Assert.Equal((3, 1, 4), await CountsOf(_h.Owner));
    }
}
