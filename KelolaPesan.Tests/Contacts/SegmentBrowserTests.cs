using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Layout;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Contacts;

/// <summary>The segment builder at phone size: a name already taken is refused with a message (the page and the filter stay), operators read in the user's language.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SegmentBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task AtPhoneSize_TheActiveTabStaysInView_AndTheSegmentFiltersReadWhole()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await PhoneLayoutBrowserTests.SignInAtAsync(page, LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            await page.GotoAsync("/contacts");
            await page.WaitForCircuitAsync();
            // The last tabs first, then back and forth: MudTabs' own scrolling slid the strip past the active tab.
            foreach (var name in new[] { "Segmen", "Kolom khusus", "Daftar & label", "Segmen", "Kontak", "Kolom khusus", "Segmen" })
            {
                await page.GetByRole(AriaRole.Tab, new() { Name = name }).ClickAsync();
                var active = page.ByTestId("contacts-tabs").Locator(".mud-tab-active");
                await Assertions.Expect(active).ToHaveTextAsync(name, new() { IgnoreCase = true });
                await page.WaitForTimeoutAsync(400); // the strip's slide (0.3 s) has ended
                Assert.True(await LayoutProbe.InsideViewportAsync(active), $"the active tab {name} is out of view");
            }
            await page.ByTestId("segment-count").WaitForAsync();
            await LayoutProbe.AssertNoCutLabelsAsync(page.ByTestId("contacts-tabs"), "segment filters");
            await LayoutProbe.AssertFitsAsync(page, "segment builder");
        });
    }

    [Fact]
    public async Task AtPhoneSize_ATakenSegmentName_IsRefusedWithAMessage_AndTheOperatorsAreWords()
    {
        var name = "Setia " + Guid.NewGuid().ToString("N")[..6];
        var key = "qa_" + Guid.NewGuid().ToString("N")[..6];
        await using (var scope = app.Services.CreateAsyncScope())
        await using (var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem())
        {
            var workspace = await db.Workspaces.Where(w => db.Tenants.Any(t => t.Id == w.TenantId && t.Name == "Toko Demo")).OrderBy(w => w.Name).FirstAsync();
            db.Segments.Add(new Segment { TenantId = workspace.TenantId, WorkspaceId = workspace.Id, Name = name, FilterJson = new ContactFilter().ToJson() });
            db.CustomFields.Add(new CustomFieldDefinition { TenantId = workspace.TenantId, Key = key, Label = "Kota QA", Type = CustomFieldType.Text, SortOrder = 99 });
            await db.SaveChangesAsync();
        }
        try
        {
            await using var session = await browser.NewPageAsync(app.BaseUrl);
            await session.RunAsync(async page =>
            {
                await PhoneLayoutBrowserTests.SignInAtAsync(page, LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
                await page.GotoAsync("/contacts");
                await page.WaitForCircuitAsync();
                await page.GetByRole(AriaRole.Tab, new() { Name = "Segmen" }).ClickAsync();

                await page.ByTestId("segment-add-condition").ClickAsync();
                var op = page.Locator("[data-testid=segment-operator] input, input[data-testid=segment-operator]").First;
                await Assertions.Expect(op).ToHaveValueAsync("sama dengan");

                await page.Locator("[data-testid=segment-name] input, input[data-testid=segment-name]").FillAsync(name.ToUpperInvariant());
                await page.ByTestId("segment-save").ClickAsync();
                await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("sudah ada");
                // The circuit lives on and the filter being built is still there.
                await Assertions.Expect(op).ToHaveValueAsync("sama dengan");
                await LayoutProbe.AssertFitsAsync(page, "segment builder with a refused name");
                Assert.Empty(session.ConsoleErrors);
            });
        }
        finally
        {
            await using var scope = app.Services.CreateAsyncScope();
            await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
            await db.Segments.Where(s => s.Name == name).ExecuteDeleteAsync();
            await db.CustomFields.Where(f => f.Key == key).ExecuteDeleteAsync();
        }
    }
}
