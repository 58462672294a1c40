using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Automation;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.ExternalApi;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Layout;

/// <summary>
/// Every deletion asks first, at phone size, in the user's language: "Batal" keeps the item, "Hapus" removes it
/// (issue 19, item 6). One case per kind of item, seeded straight into the demo tenant with a unique name.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DeleteConfirmationBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    public static TheoryData<string> Kinds =>
        ["contact", "list", "label", "segment", "field", "rule", "quick-reply", "team-member", "webhook", "workspace"];

    [Theory, MemberData(nameof(Kinds))]
    public async Task Deleting_AsksFirst_CancelKeepsTheItem_ConfirmRemovesIt(string kind)
    {
        var name = "Hapus-" + Guid.NewGuid().ToString("N")[..6];
        var (shown, copies) = await SeedAsync(kind, name);
        try
        {
            await using var session = await browser.NewPageAsync(app.BaseUrl);
            await session.RunAsync(async page =>
            {
                await PhoneLayoutBrowserTests.SignInAtAsync(page, LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
                var item = await OpenAsync(page, kind, shown);
                await Assertions.Expect(item).ToHaveCountAsync(1);

                await AskAsync(page, kind, item);
                var dialog = page.Locator(".mud-dialog", new() { Has = page.ByTestId("confirm-message") });
                if (kind != "webhook")
                    // The question names the item as the page shows it (a team member by display name, not username).
                    await Assertions.Expect(dialog).ToContainTextAsync(kind == "team-member" ? name : shown);
                await Assertions.Expect(page.ByTestId("confirm-yes")).ToContainTextAsync("Hapus");
                await Assertions.Expect(page.ByTestId("confirm-no")).ToHaveTextAsync("Batal");
                Assert.True(await LayoutProbe.InsideViewportAsync(page.ByTestId("confirm-yes")), $"{kind}: the confirm button is off-screen");
                await page.ByTestId("confirm-no").ClickAsync();
                await Assertions.Expect(dialog).ToHaveCountAsync(0);
                await Assertions.Expect(item).ToHaveCountAsync(1);

                await AskAsync(page, kind, item);
                await page.ByTestId("confirm-yes").ClickAsync();
                await Assertions.Expect(item).ToHaveCountAsync(0);
                Assert.Empty(session.ConsoleErrors);
            });
            // The page deleted the copy of the workspace it shows, and only that one.
            Assert.Equal(copies - 1, await CountAsync(kind, name));
        }
        finally
        {
            await CleanUpAsync(kind, name);
        }
    }

    /// <summary>Opens the item's page; the locator finds the item by its name.</summary>
    private static async Task<ILocator> OpenAsync(IPage page, string kind, string shown)
    {
        async Task GoAsync(string path)
        {
            await page.GotoAsync(path);
            await page.WaitForCircuitAsync();
        }
        async Task TabAsync(string tab)
        {
            await GoAsync("/contacts");
            await page.GetByRole(AriaRole.Tab, new() { Name = tab }).ClickAsync();
        }
        switch (kind)
        {
            case "contact":
                await GoAsync("/contacts");
                await page.Locator("input[data-testid=contact-search]").FillAsync(shown);
                // The search has been applied (one row left) before the row is clicked: a reload would swallow the click.
                await Assertions.Expect(page.ByTestId("contact-grid").Locator("tbody tr")).ToHaveCountAsync(1);
                return page.ByTestId("contact-grid").Locator("tbody tr", new() { HasText = shown });
            case "list":
                await TabAsync("Daftar & label");
                return page.ByTestId("list-row").Filter(new() { HasText = shown });
            case "label":
                await TabAsync("Daftar & label");
                return page.ByTestId("label-chip").Filter(new() { HasText = shown });
            case "segment":
                await TabAsync("Segmen");
                return page.ByTestId("segment-row").Filter(new() { HasText = shown });
            case "field":
                await TabAsync("Kolom khusus");
                return page.ByTestId("field-row").Filter(new() { HasText = shown });
            case "rule":
                await GoAsync("/automation");
                return page.ByTestId("rule-row").Filter(new() { HasText = shown });
            case "quick-reply":
                await GoAsync("/inbox");
                await page.ByTestId("manage-quick-replies").ClickAsync();
                return page.ByTestId("quick-reply-row").Filter(new() { HasText = shown });
            case "team-member":
                await GoAsync("/settings/team");
                return page.ByTestId("team-table").Locator("tr").Filter(new() { Has = page.Locator($"[data-testid=team-row][data-username={shown}]") });
            case "webhook":
                await GoAsync("/settings/api");
                await Assertions.Expect(page.Locator("input[data-testid=webhook-url]")).ToHaveValueAsync(shown);
                return page.ByTestId("webhook-delete");
            case "workspace":
                await GoAsync("/workspaces");
                return page.ByTestId("workspace-table").Locator("tbody tr", new() { HasText = shown });
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>Presses the item's delete control and waits for the question.</summary>
    private static async Task AskAsync(IPage page, string kind, ILocator item)
    {
        switch (kind)
        {
            case "contact":
                // The delete button is in the contact's dialog (it stays open after "Batal").
                if (await page.ByTestId("contact-delete").CountAsync() == 0)
                    await item.Locator("[data-testid=contact-edit]").ClickAsync();
                await page.ByTestId("contact-delete").ClickAsync();
                break;
            case "label":
                await item.Locator(".mud-chip-close-button").ClickAsync();
                break;
            case "team-member":
                await item.Locator("[data-testid=team-actions] button").First.ClickAsync();
                await page.ByTestId("team-delete").ClickAsync();
                break;
            case "webhook":
                await item.ClickAsync();
                break;
            default:
                await item.Locator($"[data-testid={kind}-delete]").ClickAsync();
                break;
        }
        await page.ByTestId("confirm-message").WaitForAsync();
    }

    /// <summary>
    /// Seeds the item in every workspace of the demo tenant (whichever the shell shows); returns the text the page shows
    /// and how many copies were made.
    /// </summary>
    private async Task<(string Shown, int Copies)> SeedAsync(string kind, string name)
    {
        var shown = kind == "quick-reply" ? "/" + name.ToLowerInvariant() : name;
        var copies = await InDemoAsync(async (db, tenant, workspaces) =>
        {
            var targets = kind is "field" or "team-member" or "webhook" or "workspace" ? workspaces.Take(1).ToList() : workspaces;
            foreach (var ws in targets)
            {
                switch (kind)
                {
                    case "contact":
                        db.Contacts.Add(new Contact { TenantId = tenant, WorkspaceId = ws, Name = name, Phone = "+62812" + Random.Shared.Next(10000000, 99999999) });
                        break;
                    case "list":
                        db.ContactLists.Add(new ContactList { TenantId = tenant, WorkspaceId = ws, Name = name });
                        break;
                    case "label":
                        db.Labels.Add(new Label { TenantId = tenant, WorkspaceId = ws, Name = name, Color = "#5C6BC0" });
                        break;
                    case "segment":
                        db.Segments.Add(new Segment { TenantId = tenant, WorkspaceId = ws, Name = name });
                        break;
                    case "field":
                        db.CustomFields.Add(new CustomFieldDefinition { TenantId = tenant, Key = name.ToLowerInvariant().Replace('-', '_'), Label = name });
                        break;
                    case "rule":
                        db.BotRules.Add(new BotRule { TenantId = tenant, WorkspaceId = ws, Name = name, Trigger = BotTrigger.Keyword, ReplyTemplate = "Halo", Priority = 999 });
                        break;
                    case "quick-reply":
                        db.QuickReplies.Add(new QuickReply { TenantId = tenant, WorkspaceId = ws, Shortcut = name.ToLowerInvariant(), Text = "Terima kasih" });
                        break;
                    case "team-member":
                        db.Users.Add(new AppUser { TenantId = tenant, Username = name.ToLowerInvariant(), DisplayName = name, Role = UserRole.Agent });
                        break;
                    case "webhook":
                        // One subscription per tenant: this test's replaces none (the demo has none unless another test left one).
                        await db.WebhookSubscriptions.Where(w => w.TenantId == tenant).ExecuteDeleteAsync();
                        db.WebhookSubscriptions.Add(new WebhookSubscription { TenantId = tenant, Url = $"https://hook.example.test/{name}", SecretEncrypted = "x", Events = "message.received" });
                        break;
                    case "workspace":
                        db.Workspaces.Add(new Workspace { TenantId = tenant, Name = name });
                        break;
                }
            }
            await db.SaveChangesAsync();
            return targets.Count;
        });
        return (kind switch { "team-member" => name.ToLowerInvariant(), "webhook" => $"https://hook.example.test/{name}", _ => shown }, copies);
    }

    private Task<int> CountAsync(string kind, string name) => InDemoAsync((db, tenant, _) => kind switch
    {
        // A contact, a rule and a workspace are soft-deleted: gone from every query but the filter-free one.
        "contact" => db.Contacts.CountAsync(c => c.TenantId == tenant && c.Name == name),
        "list" => db.ContactLists.CountAsync(l => l.TenantId == tenant && l.Name == name),
        "label" => db.Labels.CountAsync(l => l.TenantId == tenant && l.Name == name),
        "segment" => db.Segments.CountAsync(s => s.TenantId == tenant && s.Name == name),
        "field" => db.CustomFields.CountAsync(f => f.TenantId == tenant && f.Label == name),
        "rule" => db.BotRules.CountAsync(r => r.TenantId == tenant && r.Name == name),
        "quick-reply" => db.QuickReplies.CountAsync(q => q.TenantId == tenant && q.Shortcut == name.ToLowerInvariant()),
        "team-member" => db.Users.CountAsync(u => u.TenantId == tenant && u.DisplayName == name),
        "webhook" => db.WebhookSubscriptions.CountAsync(w => w.TenantId == tenant && w.Url.EndsWith(name)),
        "workspace" => db.Workspaces.CountAsync(w => w.TenantId == tenant && w.Name == name),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    });

    // The page deleted what it showed (one workspace's copy); the copies in the other workspaces go here.
    private Task CleanUpAsync(string kind, string name) => InDemoAsync(async (db, tenant, _) => kind switch
    {
        "contact" => await db.Contacts.IgnoreQueryFilters([QueryFilters.SoftDelete]).Where(c => c.TenantId == tenant && c.Name == name).ExecuteDeleteAsync(),
        "list" => await db.ContactLists.Where(l => l.TenantId == tenant && l.Name == name).ExecuteDeleteAsync(),
        "label" => await db.Labels.Where(l => l.TenantId == tenant && l.Name == name).ExecuteDeleteAsync(),
        "segment" => await db.Segments.Where(s => s.TenantId == tenant && s.Name == name).ExecuteDeleteAsync(),
        "field" => await db.CustomFields.Where(f => f.TenantId == tenant && f.Label == name).ExecuteDeleteAsync(),
        "rule" => await db.BotRules.IgnoreQueryFilters([QueryFilters.SoftDelete]).Where(r => r.TenantId == tenant && r.Name == name).ExecuteDeleteAsync(),
        "quick-reply" => await db.QuickReplies.Where(q => q.TenantId == tenant && q.Shortcut == name.ToLowerInvariant()).ExecuteDeleteAsync(),
        "team-member" => await db.Users.Where(u => u.TenantId == tenant && u.DisplayName == name).ExecuteDeleteAsync(),
        "webhook" => await db.WebhookSubscriptions.Where(w => w.TenantId == tenant && w.Url.EndsWith(name)).ExecuteDeleteAsync(),
        "workspace" => await db.Workspaces.IgnoreQueryFilters([QueryFilters.SoftDelete]).Where(w => w.TenantId == tenant && w.Name == name).ExecuteDeleteAsync(),
        _ => 0,
    });

    private async Task<T> InDemoAsync<T>(Func<IKelolaDb, Guid, IReadOnlyList<Guid>, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        var tenant = await db.Workspaces.AsNoTracking().Where(w => w.Name == "Toko Utama").Select(w => w.TenantId).FirstAsync();
        var workspaces = await db.Workspaces.AsNoTracking().Where(w => w.TenantId == tenant).OrderBy(w => w.Name == "Toko Utama" ? 0 : 1)
            .Select(w => w.Id).ToListAsync();
        return await action(db, tenant, workspaces);
    }
}
