using System.Text;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Attachments;

/// <summary>
/// Attachments follow chat visibility (issue 16, item 6): an agent who may not open a chat (assigned to someone else)
/// gets 404 for the files sent in it, through the real endpoint with the agent's real cookie.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AttachmentChatVisibilityTests(BrowserFixture browser, KelolaAppFactory app)
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% faktur\n%%EOF\n");

    [Fact]
    public async Task AnAgent_Gets404ForTheFileOfAChatAssignedToAnotherAgent_AndTheFileOfAnOpenChat()
    {
        // agen and agen2 both work in "Toko Utama": one chat there is agen's, one is nobody's yet.
        var (theirs, open) = await SeedAsync();
        var url = $"{app.BaseUrl}/attachments/";

        await using (var agen2 = await browser.NewPageAsync(app.BaseUrl))
        {
            await agen2.Page.SignInAsDemoAsync("agen2", DemoAccounts.AgentPassword);
            Assert.Equal(200, (await agen2.Page.APIRequest.GetAsync(url + open)).Status);
            Assert.Equal(404, (await agen2.Page.APIRequest.GetAsync(url + theirs)).Status);
        }
        await using (var agen = await browser.NewPageAsync(app.BaseUrl))
        {
            await agen.Page.SignInAsDemoAsync(DemoAccounts.AgentUserName, DemoAccounts.AgentPassword);
            var response = await agen.Page.APIRequest.GetAsync(url + theirs);
            Assert.Equal(200, response.Status);
            Assert.Equal(Pdf, await response.BodyAsync());
        }
    }

    /// <summary>Two chats in "Toko Utama", each with a message carrying a file: one assigned to agen, one unassigned.</summary>
    private async Task<(Guid Theirs, Guid Open)> SeedAsync()
    {
        var store = app.Services.GetRequiredService<IAttachmentStore>();
        using var scope = app.Services.CreateScope();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        var shop = await db.Workspaces.FirstAsync(w => w.Name == "Toko Utama");
        var agen = await db.Users.FirstAsync(u => u.TenantId == shop.TenantId && u.Username == DemoAccounts.AgentUserName);
        var now = DateTimeOffset.UtcNow;

        async Task<Guid> ChatWithFileAsync(Guid? assignedTo)
        {
            var stored = await store.SaveAsync(new MemoryStream(Pdf), 1024 * 1024);
            var file = new Attachment
            {
                TenantId = shop.TenantId, WorkspaceId = shop.Id, OriginalFileName = "faktur.pdf", StoredFileName = stored.StorageKey,
                MimeType = "application/pdf", SizeBytes = stored.SizeBytes, StorageKey = stored.StorageKey, Kind = AttachmentKind.Document,
            };
            var number = "62812" + Random.Shared.Next(1_000_000, 9_999_999);
            var chat = new Chat
            {
                TenantId = shop.TenantId, WorkspaceId = shop.Id, ExternalChatId = number + "@c.us", DisplayName = "Pelanggan " + number,
                PhoneNumber = "+" + number, LastMessageAt = now, AssignedUserId = assignedTo,
            };
            db.Attachments.Add(file);
            db.Chats.Add(chat);
            db.Messages.Add(new Message
            {
                TenantId = shop.TenantId, WorkspaceId = shop.Id, ChatId = chat.Id, Direction = MessageDirection.Inbound,
                Body = "faktur", SentAt = now, AttachmentId = file.Id, ExternalMessageId = "faktur-" + Guid.NewGuid().ToString("N"),
            });
            return file.Id;
        }

        var theirs = await ChatWithFileAsync(agen.Id);
        var open = await ChatWithFileAsync(null);
        await db.SaveChangesAsync();
        return (theirs, open);
    }
}
