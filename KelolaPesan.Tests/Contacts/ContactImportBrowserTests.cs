using ClosedXML.Excel;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Layout;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Contacts;

[Collection(BrowserCollection.Name)]
public sealed class ContactImportBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task Owner_ImportsASmallXlsx_MapsColumns_AndSeesCountsAndRejectedRows()
    {
        var path = Path.Combine(app.DataDirectory, $"pelanggan-{Guid.NewGuid():N}.xlsx");
        using (var wb = new XLWorkbook())
        {
            var ws = wb.AddWorksheet("Pelanggan");
            ws.Cell(1, 1).Value = "Kolom A";   // not guessable: the test maps it by hand
            ws.Cell(1, 2).Value = "No HP";
            ws.Cell(2, 1).Value = "Pembeli Impor Satu";
            ws.Cell(2, 2).Value = 81377712345;  // number, leading 0 lost
            ws.Cell(3, 1).Value = "Pembeli Impor Dua";
            ws.Cell(3, 2).SetValue("0813-7771-2346");
            ws.Cell(4, 1).Value = "Salah Nomor";
            ws.Cell(4, 2).SetValue("nomor?");
            wb.SaveAs(path);
        }

        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.GotoAsync("/account/login");
            await page.ByTestId("licence-code").FillAsync(DemoAccounts.LicenceCode);
            await page.ByTestId("username").FillAsync(DemoAccounts.OwnerUserName);
            await page.ByTestId("password").FillAsync(DemoAccounts.OwnerPassword);
            await page.ByTestId("sign-in").ClickAsync();
            await page.ByTestId("workspace-switcher").WaitForAsync();

            await page.GotoAsync("/contacts");
            await page.WaitForCircuitAsync();
            await page.GetByRole(AriaRole.Tab, new() { Name = "Impor" }).ClickAsync();
            await (await page.ByTestId("import-file").ReadyInputFileAsync()).SetInputFilesAsync(path);

            await page.ByTestId("import-mapping").WaitForAsync();
            Assert.Equal("phone", await page.ByTestId("map-1").InputValueAsync());
            await page.ByTestId("map-0").SelectOptionAsync("name");
            await page.ByTestId("import-run").ClickAsync();

            var counts = page.ByTestId("import-counts");
            await Assertions.Expect(counts).ToContainTextAsync("2 dibuat", new() { Timeout = 30_000 });
            await Assertions.Expect(counts).ToContainTextAsync("1 ditolak");
            var rejected = page.ByTestId("import-rejected");
            await Assertions.Expect(rejected).ToContainTextAsync("4");
            await Assertions.Expect(rejected).ToContainTextAsync("bukan angka");
            await Assertions.Expect(page.ByTestId("import-download-rejected")).ToBeVisibleAsync();

            // The rejected-rows report downloads as .xlsx through the authorised endpoint.
            var href = await page.ByTestId("import-download-rejected").GetAttributeAsync("href");
            var response = await page.APIRequest.GetAsync(href!);
            Assert.Equal(200, response.Status);
            using var book = new XLWorkbook(new MemoryStream(await response.BodyAsync()));
            Assert.Equal("4", book.Worksheet(1).Cell(2, 1).GetString());

            // The contacts export is named by the tenant's clock (WIB), as the times inside it are.
            Guid workspaceId;
            await using (var scope = app.Services.CreateAsyncScope())
            await using (var db = scope.ServiceProvider.GetRequiredService<KelolaPesan.Core.Common.IKelolaDbFactory>().CreateSystem())
                workspaceId = await db.Workspaces.Where(w => db.Tenants.Any(t => t.Id == w.TenantId && t.Name == "Toko Demo")).Select(w => w.Id).FirstAsync();
            var before = DateTime.UtcNow.AddHours(7).ToString("yyyyMMdd-HHmm");
            var exported = await page.APIRequest.GetAsync($"/contacts/download/export?workspaceId={workspaceId}&format=csv");
            var after = DateTime.UtcNow.AddHours(7).ToString("yyyyMMdd-HHmm");
            Assert.Equal(200, exported.Status);
            var disposition = exported.Headers["content-disposition"];
            Assert.True(disposition.Contains($"kontak-{before}.csv") || disposition.Contains($"kontak-{after}.csv"), disposition);

            await page.GetByRole(AriaRole.Tab, new() { Name = "Kontak" }).First.ClickAsync();
            await page.ByTestId("contact-search").FillAsync("Pembeli Impor");
            await Assertions.Expect(page.ByTestId("contact-grid")).ToContainTextAsync("+6281377712345");
            Assert.Empty(session.ConsoleErrors);
        });
    }

    [Fact]
    public async Task InEnglish_AtPhoneSize_SkippedAndRejectedReasons_AndTheRejectedRowsFile_AreEnglish()
    {
        var number = $"0813{Random.Shared.Next(10_000_000, 99_999_999)}";
        var path = Path.Combine(app.DataDirectory, $"customers-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, $"Name,Phone\nImport Buyer,{number}\nImport Buyer again,{number}\nWrong Number,number?\n");

        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await PhoneLayoutBrowserTests.SignInAtAsync(page, LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            await page.GotoAsync("/account/culture?culture=en&returnUrl=%2Fcontacts");
            await page.WaitForCircuitAsync();
            await page.Locator("html[lang=en]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await page.GetByRole(AriaRole.Tab, new() { Name = "Import" }).ClickAsync();
            await (await page.ByTestId("import-file").ReadyInputFileAsync()).SetInputFilesAsync(path);
            await page.ByTestId("import-mapping").WaitForAsync();
            await page.ByTestId("import-run").ClickAsync();

            // The reasons are stored as codes and read in the reader's language.
            await Assertions.Expect(page.ByTestId("import-skipped")).ToContainTextAsync("Duplicate: the same number as row 2.", new() { Timeout = 30_000 });
            await Assertions.Expect(page.ByTestId("import-rejected")).ToContainTextAsync("The phone number is not a number.");
            await LayoutProbe.AssertFitsAsync(page, "import result");

            var href = await page.ByTestId("import-download-rejected").GetAttributeAsync("href");
            var response = await page.APIRequest.GetAsync(href!);
            Assert.Equal(200, response.Status);
            using var book = new XLWorkbook(new MemoryStream(await response.BodyAsync()));
            var rejected = book.Worksheet("Rejected rows");
            Assert.Equal(["Row", "Reason", "Name", "Phone"], Enumerable.Range(1, 4).Select(c => rejected.Cell(1, c).GetString()));
            Assert.Equal("The phone number is not a number.", rejected.Cell(2, 2).GetString());
            Assert.Equal("Duplicate: the same number as row 2.", book.Worksheet("Skipped duplicates").Cell(2, 2).GetString());

            // The contacts export of the same user has English headers.
            await page.GetByRole(AriaRole.Tab, new() { Name = "Contacts" }).First.ClickAsync();
            var csvLink = page.Locator("a[href*='format=csv']").First;
            await csvLink.WaitForAsync(new() { State = WaitForSelectorState.Attached });
            var export = await page.APIRequest.GetAsync((await csvLink.GetAttributeAsync("href"))!);
            Assert.Equal(200, export.Status);
            Assert.StartsWith("Name,Phone,Email,Group,Opted out,WhatsApp", System.Text.Encoding.UTF8.GetString(await export.BodyAsync()).TrimStart('\uFEFF'));
            Assert.Empty(session.ConsoleErrors);
        });
    }

    [Fact]
    public async Task AtPhoneSize_APreviewNeverImported_LeavesNoFileBehind()
    {
        var first = Path.Combine(Path.GetTempPath(), $"preview-{Guid.NewGuid():N}.csv");
        var second = Path.Combine(Path.GetTempPath(), $"preview-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(first, "Nama,No HP\nBudi,081234567891\n");
        await File.WriteAllTextAsync(second, "Nama,No HP\nSari,081234567892\n");
        var folder = KelolaPesan.Web.Jobs.ContactJobScheduler.UploadFolder;
        string[] Files() => Directory.Exists(folder) ? Directory.GetFiles(folder) : [];
        try
        {
            await using var session = await browser.NewPageAsync(app.BaseUrl);
            await session.RunAsync(async page =>
            {
                await page.SetViewportSizeAsync(390, 844);
                await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
                await page.GotoAsync("/contacts");
                await page.WaitForCircuitAsync();
                await page.GetByRole(AriaRole.Tab, new() { Name = "Impor" }).ClickAsync();
                var before = Files();
                await (await page.ByTestId("import-file").ReadyInputFileAsync()).SetInputFilesAsync(first);
                await page.ByTestId("import-mapping").WaitForAsync();
                var previewed = Assert.Single(Files().Except(before));

                // Another file replaces the first: its copy goes.
                await (await page.ByTestId("import-file").ReadyInputFileAsync()).SetInputFilesAsync(second);
                await Assertions.Expect(page.ByTestId("import-mapping")).ToContainTextAsync("Sari");
                Assert.False(File.Exists(previewed), "the first preview's copy is still there");
                var replaced = Assert.Single(Files().Except(before));
                await KelolaPesan.Tests.Layout.LayoutProbe.AssertFitsAsync(page, "import preview");

                // Leaving the page without importing: the second copy goes too.
                await page.GotoAsync("/inbox");
                await page.WaitForCircuitAsync();
                for (var until = DateTime.UtcNow.AddSeconds(10); File.Exists(replaced); await Task.Delay(100))
                    Assert.True(DateTime.UtcNow < until, "the preview's copy stayed after the page was left");
            });
        }
        finally
        {
            File.Delete(first);
            File.Delete(second);
        }
    }
}
