using System.Net;
using System.Text;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Attachments;

/// <summary>
/// <c>GET /attachments/{id}</c> through the real host: the browser signs in (real cookie), then requests the file
/// with that browser context's cookies, exactly as an &lt;img&gt; or a download link does.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AttachmentDownloadTests(BrowserFixture browser, KelolaAppFactory app)
{
    // Quotes, ';' and CR/LF in a stored name must not break the header.
    private const string HostileName = "laporan \"akhir\";\r\nX-Evil: 1.pdf";
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% laporan penjualan\n%%EOF\n");

    [Fact]
    public async Task TheOwnersTenant_Downloads_AnotherTenantGets404_AnonymousAndNonMemberAgentsAreRefused()
    {
        var (care, foreign) = await SeedAsync();
        var url = $"{app.BaseUrl}/attachments/";

        using (var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
        {
            using var response = await anonymous.GetAsync(url + care);
            Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Found, HttpStatusCode.Redirect });
            Assert.DoesNotContain("laporan penjualan", await response.Content.ReadAsStringAsync());
        }

        await using (var owner = await browser.NewPageAsync(app.BaseUrl))
        {
            await owner.Page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            var response = await owner.Page.APIRequest.GetAsync(url + care);
            Assert.Equal(200, response.Status);
            Assert.Equal("application/pdf", response.Headers["content-type"]);
            Assert.Equal("attachment; filename*=UTF-8''laporan%20%22akhir%22%3B%0D%0AX-Evil%3A%201.pdf", response.Headers["content-disposition"]);
            Assert.Equal("nosniff", response.Headers["x-content-type-options"]);
            Assert.False(response.Headers.ContainsKey("x-evil"));
            Assert.Equal(Pdf, await response.BodyAsync());

            Assert.Equal(404, (await owner.Page.APIRequest.GetAsync(url + foreign)).Status);
            Assert.Equal(404, (await owner.Page.APIRequest.GetAsync(url + Guid.CreateVersion7())).Status);
        }

        // agen2 works in "Toko Utama" only; the file belongs to "Layanan Pelanggan".
        await using (var agen2 = await browser.NewPageAsync(app.BaseUrl))
        {
            await agen2.Page.SignInAsDemoAsync("agen2", DemoAccounts.AgentPassword);
            Assert.Equal(404, (await agen2.Page.APIRequest.GetAsync(url + care)).Status);
        }
        await using (var agen = await browser.NewPageAsync(app.BaseUrl))
        {
            await agen.Page.SignInAsDemoAsync(DemoAccounts.AgentUserName, DemoAccounts.AgentPassword);
            Assert.Equal(200, (await agen.Page.APIRequest.GetAsync(url + care)).Status);
        }
    }

    /// <summary>One file in the demo tenant's "Layanan Pelanggan", one in a second tenant.</summary>
    private async Task<(Guid Care, Guid Foreign)> SeedAsync()
    {
        var store = app.Services.GetRequiredService<IAttachmentStore>();
        using var scope = app.Services.CreateScope();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        var care = await db.Workspaces.FirstAsync(w => w.Name == "Layanan Pelanggan");

        var other = Seed.Tenant(db, "Toko Lain").Workspace("Toko Lain");

        async Task<Attachment> File(Workspace workspace)
        {
            var stored = await store.SaveAsync(new MemoryStream(Pdf), 1024 * 1024);
            return new Attachment
            {
                TenantId = workspace.TenantId, WorkspaceId = workspace.Id, OriginalFileName = HostileName, StoredFileName = stored.StorageKey,
                MimeType = "application/pdf", SizeBytes = stored.SizeBytes, StorageKey = stored.StorageKey, Kind = AttachmentKind.Document,
            };
        }
        var mine = await File(care);
        var theirs = await File(other);
        db.Attachments.AddRange(mine, theirs);
        await db.SaveChangesAsync();
        return (mine.Id, theirs.Id);
    }
}
