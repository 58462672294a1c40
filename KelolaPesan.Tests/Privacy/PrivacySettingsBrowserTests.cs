using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static KelolaPesan.Tests.Webhooks.AppWorkspaces;

namespace KelolaPesan.Tests.Privacy;

/// <summary>The owner's privacy page: a tenant export built in the background and downloaded, and a small deletion with its code and status.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PrivacySettingsBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task TheOwnerExportsTheTenant_DownloadsTheZip_AndDeletesAContactWithACodeAndStatus()
    {
        // The contact to delete lives in the workspace the page starts on (the owner's first workspace by name).
        var phone = "+62814" + Random.Shared.Next(10_000_000, 99_999_999);
        var contactId = await QueryAsync(app, async db =>
        {
            var tenantId = await db.Workspaces.Where(w => w.Name == "Toko Utama").Select(w => w.TenantId).FirstAsync();
            var ws = await db.Workspaces.Where(w => w.TenantId == tenantId).OrderBy(w => w.Name).FirstAsync();
            var contact = new Contact { TenantId = tenantId, WorkspaceId = ws.Id, Name = "Hapus Saya", Phone = phone };
            db.Contacts.Add(contact);
            await db.SaveChangesAsync();
            return contact.Id;
        });

        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await page.GotoAsync("/settings/privacy");
            await page.WaitForCircuitAsync();

            // Export of the whole tenant (the default scope): queued, built by the job, then a download link.
            var before = await page.ByTestId("export-row").CountAsync();
            await page.ByTestId("export-start").ClickAsync();
            await Assertions.Expect(page.ByTestId("export-row")).ToHaveCountAsync(before + 1);
            var link = page.ByTestId("export-list").Locator("[data-testid=export-row]").First.Locator("[data-testid=export-download]");
            await Assertions.Expect(link).ToBeVisibleAsync(new() { Timeout = 60_000 });
            var href = await link.GetAttributeAsync("href");
            Assert.NotNull(href);
            var response = await page.Context.APIRequest.GetAsync(app.BaseUrl + href);
            Assert.Equal(200, response.Status);
            var zip = await response.BodyAsync();
            Assert.True(zip.Length > 4 && zip[0] == (byte)'P' && zip[1] == (byte)'K', "the download is a zip");
            using (var archive = new System.IO.Compression.ZipArchive(new MemoryStream(zip)))
                Assert.Contains(archive.Entries, e => e.FullName == "json/contacts.json");

            // Deletion of one contact by its number: a confirmation code at once, and the status as the job finishes.
            await page.Locator("[data-testid=delete-phone] input, input[data-testid=delete-phone]").FillAsync(phone);
            await page.Locator("[data-testid=delete-confirm] input, input[data-testid=delete-confirm]").FillAsync("HAPUS");
            await page.ByTestId("delete-start").ClickAsync();
            var code = (await page.ByTestId("delete-code").InnerTextAsync()).Trim();
            Assert.False(string.IsNullOrEmpty(code));
            var row = page.Locator($"[data-testid=deletion-row][data-code='{code}']");
            await Assertions.Expect(row).ToHaveCountAsync(1);
            await Assertions.Expect(row.Locator("[data-testid=deletion-status]")).ToHaveTextAsync("Selesai", new() { Timeout = 30_000 });
        });

        Assert.False(await QueryAsync(app, db => db.Contacts.IgnoreQueryFilters([QueryFilters.Tenant, QueryFilters.SoftDelete]).AnyAsync(c => c.Id == contactId)));
    }
}
