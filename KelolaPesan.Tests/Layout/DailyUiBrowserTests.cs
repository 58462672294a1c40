using System.Text.RegularExpressions;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Layout;

/// <summary>
/// The last rough edges of the daily UI (issue 19): empty pages offer the next step, the composer names the chosen list,
/// MudBlazor's own texts follow the language, and a form in dark mode is readable.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class DailyUiBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    private const string Password = "Toko-Baru-2026!";

    [Fact]
    public async Task AFreshWorkspace_EmptyPages_OfferTheNextAction_AtPhoneSize()
    {
        var code = await NewTenantAsync("kosong");
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            await page.SignInAsync(code, "kosong", Password);
            await page.WaitForCircuitAsync();

            async Task<ILocator> EmptyAsync(string path, string testId, string? tab = null)
            {
                await page.GotoAsync(path);
                await page.WaitForCircuitAsync();
                if (tab is not null)
                    await page.GetByRole(AriaRole.Tab, new() { Name = tab }).ClickAsync();
                var action = page.ByTestId(testId + "-action");
                await Assertions.Expect(action).ToBeVisibleAsync();
                await LayoutProbe.AssertFitsAsync(page, path + " empty");
                return action;
            }

            // Links lead where the next step is taken.
            foreach (var (path, testId, target) in new[]
            {
                ("/inbox", "chat-list-empty", "/workspaces"),
                ("/broadcasts", "broadcasts-empty", "/broadcasts/new"),
                ("/sequences", "sequences-empty", "/sequences/new"),
            })
                Assert.Equal(target, await (await EmptyAsync(path, testId)).GetAttributeAsync("href"));

            // Actions open the form of the first item.
            await (await EmptyAsync("/contacts", "contacts-empty")).ClickAsync();
            await Assertions.Expect(page.Locator("input[data-testid=contact-name], [data-testid=contact-name] input").First).ToBeVisibleAsync();
            await page.Keyboard.PressAsync("Escape");

            await (await EmptyAsync("/contacts", "lists-empty", "Daftar & label")).ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=new-list] input, input[data-testid=new-list]").First).ToBeFocusedAsync();

            await (await EmptyAsync("/automation", "no-rules")).ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=rule-name] input, input[data-testid=rule-name]").First).ToBeVisibleAsync();
            Assert.Empty(session.ConsoleErrors);
        });
    }

    [Fact]
    public async Task TheBroadcastComposer_ShowsTheChosenList_ByItsName_NeverItsId()
    {
        var name = "Pelanggan-" + Guid.NewGuid().ToString("N")[..6];
        var ids = await InDemoAsync(async (db, tenant, workspaces) =>
        {
            var lists = workspaces.Select(ws => new ContactList { TenantId = tenant, WorkspaceId = ws, Name = name }).ToList();
            db.ContactLists.AddRange(lists);
            await db.SaveChangesAsync();
            return lists.Select(l => l.Id.ToString()).ToList();
        });
        try
        {
            await using var session = await browser.NewPageAsync(app.BaseUrl);
            await session.RunAsync(async page =>
            {
                await PhoneLayoutBrowserTests.SignInAtAsync(page, LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
                await page.GotoAsync("/broadcasts/new");
                await page.WaitForCircuitAsync();
                await page.Locator("input[data-testid=audience-lists]").ClickAsync();
                await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = name }).ClickAsync();
                await page.Keyboard.PressAsync("Escape");

                var field = page.Locator("input[data-testid=audience-lists]");
                await Assertions.Expect(field).ToHaveValueAsync(name);
                var shown = await page.Locator("div.mud-select", new() { Has = field }).First.InnerTextAsync() + " " + await field.InputValueAsync();
                Assert.DoesNotMatch(GuidPattern(), shown);
                Assert.DoesNotContain(ids, id => shown.Contains(id, StringComparison.OrdinalIgnoreCase));
            });
        }
        finally
        {
            await InDemoAsync((db, tenant, _) => db.ContactLists.Where(l => l.TenantId == tenant && l.Name == name).ExecuteDeleteAsync());
        }
    }

    [Fact]
    public async Task MudBlazorsOwnTexts_ThePager_FollowTheLanguage()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await PhoneLayoutBrowserTests.SignInAtAsync(page, LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            foreach (var (culture, rowsPerPage, range, wrong) in new[]
            {
                ("id", "Baris per halaman", @"\d+-\d+ dari \d+", "Rows per page"),
                ("en", "Rows per page", @"\d+-\d+ of \d+", "Baris per halaman"),
            })
            {
                await page.GotoAsync($"/account/culture?culture={culture}&returnUrl=%2Fcontacts");
                await page.WaitForCircuitAsync();
                await page.Locator($"html[lang={culture}]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
                var pager = page.Locator("[data-testid=contact-grid] .mud-table-pagination").First;
                await Assertions.Expect(pager).ToContainTextAsync(rowsPerPage);
                await Assertions.Expect(pager).ToContainTextAsync(new Regex(range));
                Assert.DoesNotContain(wrong, await pager.InnerTextAsync());
                Assert.Equal(culture == "id" ? "Halaman berikutnya" : "Next page",
                    await page.Locator("[data-testid=contact-grid] .mud-table-pagination-actions button").Nth(2).GetAttributeAsync("aria-label"));
            }
        });
    }

    [Fact]
    public async Task InDarkMode_AFormPage_MeetsWcagAA()
    {
        var code = await NewTenantAsync("gelap");
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(LayoutProbe.Desktop.Width, LayoutProbe.Desktop.Height);
            await page.SignInAsync(code, "gelap", Password);
            await page.WaitForCircuitAsync();
            await page.GotoAsync("/settings");
            await page.WaitForCircuitAsync();
            await page.ByTestId("settings-form").WaitForAsync();
            await page.ByTestId("theme-toggle").ClickAsync();
            await page.Locator(".kp-dark").WaitForAsync(new() { State = WaitForSelectorState.Attached });

            // Headings, labels, the values typed, help and body text, and buttons: every text that is not disabled.
            var texts = page.Locator(".mud-main-content").Locator("h1, h2, h3, h4, h5, h6, label, input:not([disabled]):not([type=checkbox]):not([type=radio]):not([type=hidden]), textarea, p, .mud-typography, .mud-input-helper-text, .mud-button-label");
            var count = await texts.CountAsync();
            Assert.True(count > 5, $"only {count} texts found on the form");
            var failures = new List<string>();
            for (var i = 0; i < count; i++)
            {
                var element = texts.Nth(i);
                if (!await element.IsVisibleAsync() || (await element.InnerTextAsync()).Trim().Length == 0 && await element.EvaluateAsync<string>("e => e.value ?? ''") == "")
                    continue;
                if (await element.EvaluateAsync<bool>("e => !!e.closest('.mud-disabled, [disabled]')"))
                    continue;
                var contrast = await LayoutProbe.ContrastAsync(element);
                if (contrast < 4.5)
                    failures.Add($"{await element.EvaluateAsync<string>("e => e.tagName + '.' + e.className")} '{(await element.InnerTextAsync()).Trim()}' {contrast:0.00}");
            }
            Assert.True(failures.Count == 0, "below 4.5:1 in dark mode: " + string.Join("; ", failures.Distinct()));
        });
    }

    /// <summary>A new tenant (its own licence) whose owner has the given username and one empty workspace.</summary>
    private async Task<string> NewTenantAsync(string owner)
    {
        IssuedLicence issued;
        using (var scope = app.Services.CreateScope())
        {
            issued = await scope.ServiceProvider.GetRequiredService<LicenceService>().IssueAsync(new IssueLicenceRequest
            {
                Kind = LicenceKind.Tenant, Name = "Toko Baru " + Guid.NewGuid().ToString("N")[..4], OwnerUsername = owner, OwnerDisplayName = "Pemilik Baru",
                OwnerPassword = Password, MaxWorkspaces = 1, Tier = PolicyTier.Standard, ExpiresAt = DateTimeOffset.UtcNow.AddDays(30),
            }, new AuditActor(AuditActorType.Admin, Guid.NewGuid(), "Admin Test"));
            await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
            db.Workspaces.Add(new Workspace { TenantId = issued.HolderId, Name = "Toko Baru" });
            await db.SaveChangesAsync();
        }
        return issued.Code;
    }

    private async Task<T> InDemoAsync<T>(Func<IKelolaDb, Guid, IReadOnlyList<Guid>, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        var tenant = await db.Workspaces.AsNoTracking().Where(w => w.Name == "Toko Utama").Select(w => w.TenantId).FirstAsync();
        var workspaces = await db.Workspaces.AsNoTracking().Where(w => w.TenantId == tenant).Select(w => w.Id).ToListAsync();
        return await action(db, tenant, workspaces);
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", RegexOptions.IgnoreCase)]
    private static partial Regex GuidPattern();
}
