using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Tests.Gateways;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Broadcasts;

public class BroadcastAttachmentTests
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 7, 7, 7];

    private static PolicySettings Fast(long maxAttachmentBytes = 16 * 1024 * 1024) => new()
    {
        MinDelaySeconds = 0, MaxDelaySeconds = 0, BatchSize = 1000, BatchRestSeconds = 0, DailyCapPerWorkspace = 100_000,
        SendWindowStart = new TimeOnly(0, 0), SendWindowEnd = new TimeOnly(0, 0), MaxAttachmentBytes = maxAttachmentBytes,
    };

    [Fact]
    public async Task UploadedFile_TypedFromItsBytes_GoesToEveryRecipientAsMediaThroughWaha()
    {
        await using var waha = await FakeWahaServer.StartAsync();
        waha.AddSession(BroadcastHost.Session);
        await using var host = await BroadcastHost.CreateAsync(Fast(), waha.BaseAddress);

        // Named .pdf, but the bytes say PNG: it goes out as an image with the name kept for display only.
        var file = await host.InScopeAsync(sp => sp.GetRequiredService<BroadcastService>()
            .UploadAttachmentAsync(host.WorkspaceId, new MemoryStream(Png), "../katalog.pdf"));
        Assert.NotNull(file);
        Assert.Equal(("image/png", "katalog.pdf", Png.Length), (file!.MimeType, file.FileName, file.SizeBytes));

        var request = host.Request("081230000011\n081230000012\n081230000013", text: "Katalog baru untuk {name|Kak}");
        request.AttachmentId = file.Id;
        var created = await host.CreateAsync(request);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors));
        await host.RunToEndAsync();

        Assert.All(await host.RecipientsAsync(created.BroadcastId!.Value), r => Assert.Equal(RecipientStatus.Sent, r.Status));
        Assert.Empty(waha.RequestsTo("POST", "/api/sendText"));
        var media = waha.RequestsTo("POST", "/api/sendImage").Select(r => r.Json!).ToList();
        Assert.Equal(["6281230000011@c.us", "6281230000012@c.us", "6281230000013@c.us"], media.Select(m => m["chatId"]!.GetValue<string>()).Order());
        Assert.All(media, m =>
        {
            Assert.StartsWith("Katalog baru untuk Kak", m["caption"]!.GetValue<string>(), StringComparison.Ordinal); // then the licence's watermark
            Assert.Equal("image/png", m["file"]!["mimetype"]!.GetValue<string>());
            Assert.Equal(Png, Convert.FromBase64String(m["file"]!["data"]!.GetValue<string>()));
        });
    }

    [Fact]
    public async Task TooLargeFile_IsRefused_NothingKept_AndAnotherTenantsWorkspaceIsNotFound()
    {
        await using var host = await BroadcastHost.CreateAsync(Fast(maxAttachmentBytes: 10));
        await Assert.ThrowsAsync<AttachmentTooLargeException>(() => host.InScopeAsync(sp => sp.GetRequiredService<BroadcastService>()
            .UploadAttachmentAsync(host.WorkspaceId, new MemoryStream(Png), "besar.png")));
        Assert.Null(await host.InScopeAsync(sp => sp.GetRequiredService<BroadcastService>()
            .UploadAttachmentAsync(Guid.NewGuid(), new MemoryStream(Png[..4]), "a.png")));
        await using var db = host.Database.CreateForTenant(host.TenantId);
        Assert.Equal(0, await db.Attachments.CountAsync());
        Assert.Empty(Directory.Exists(Path.Combine(host.Database.Folder, "attachments"))
            ? Directory.GetFiles(Path.Combine(host.Database.Folder, "attachments"), "*", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public async Task ATierOverride_WithASmallerAttachmentLimit_RefusesAFileTheDefaultWouldAllow()
    {
        // The default allows 16 MB; the licence's tier (Basic) is limited to 10 bytes.
        await using var host = await BroadcastHost.CreateAsync(Fast());
        await using (var system = host.Database.CreateSystem())
        {
            var tierPolicy = Fast(maxAttachmentBytes: 10);
            tierPolicy.Tier = Core.Tenancy.PolicyTier.Basic;
            system.Policies.Add(tierPolicy);
            await system.SaveChangesAsync();
        }

        Assert.Equal(10, await host.InScopeAsync(sp => sp.GetRequiredService<BroadcastService>().MaxAttachmentBytesAsync(host.WorkspaceId)));
        await Assert.ThrowsAsync<AttachmentTooLargeException>(() => host.InScopeAsync(sp => sp.GetRequiredService<BroadcastService>()
            .UploadAttachmentAsync(host.WorkspaceId, new MemoryStream(Png), "besar.png")));
        await using var db = host.Database.CreateForTenant(host.TenantId);
        Assert.Equal(0, await db.Attachments.CountAsync());
    }
}
