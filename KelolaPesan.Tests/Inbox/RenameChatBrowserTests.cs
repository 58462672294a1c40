using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Privacy;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static KelolaPesan.Tests.Webhooks.AppWorkspaces;

namespace KelolaPesan.Tests.Inbox;

/// <summary>Correction of a personal field the team sees: the owner renames a chat from the conversation header.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RenameChatBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task TheOwnerRenamesAChat_TheListShowsTheNewNameWithoutAReload()
    {
        // A chat of the demo shop of its own (newest now, never in the future: other tests expect their new messages on top), so other tests' demo chats stay as they are.
        var phone = "+62813" + Random.Shared.Next(10_000_000, 99_999_999);
        var chat = await QueryAsync(app, async db =>
        {
            var ws = await db.Workspaces.FirstAsync(w => w.Name == "Toko Utama");
            var row = new Chat
            {
                TenantId = ws.TenantId, WorkspaceId = ws.Id, ExternalChatId = phone[1..] + "@c.us", PhoneNumber = phone,
                DisplayName = "Pelanggan Lama", LastMessageAt = DateTimeOffset.UtcNow, LastMessagePreview = "halo",
            };
            db.Chats.Add(row);
            await db.SaveChangesAsync();
            return row;
        });
        var newName = "Ibu Sari " + Guid.NewGuid().ToString("N")[..4];

        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await page.GotoAsync($"/inbox/{chat.Id}");
            await page.WaitForCircuitAsync();
            await page.Locator("input[data-testid=all-workspaces], [data-testid=all-workspaces] input").First.CheckAsync();
            var row = page.Locator($"[data-testid=chat-row][data-chat-id='{chat.Id}']");
            await Assertions.Expect(row.Locator("[data-testid=chat-title]")).ToHaveTextAsync("Pelanggan Lama");
            await Assertions.Expect(page.ByTestId("conversation-title")).ToHaveTextAsync("Pelanggan Lama");
            // A marker on the window proves the page was not reloaded on the way.
            await page.EvaluateAsync("() => window.__noReload = true");

            await page.ByTestId("rename-chat").ClickAsync();
            var field = page.Locator("[data-testid=rename-chat-name] input, input[data-testid=rename-chat-name]");
            await field.FillAsync(newName);
            await page.ByTestId("rename-chat-save").ClickAsync();

            await Assertions.Expect(row.Locator("[data-testid=chat-title]")).ToHaveTextAsync(newName);
            await Assertions.Expect(page.ByTestId("conversation-title")).ToHaveTextAsync(newName);
            Assert.True(await page.EvaluateAsync<bool>("() => window.__noReload === true"));
        });

        Assert.Equal(newName, await QueryAsync(app, db => db.Chats.Where(c => c.Id == chat.Id).Select(c => c.DisplayName).SingleAsync()));
        Assert.True(await QueryAsync(app, db => db.AuditEntries.AnyAsync(a => a.Action == PrivacyAuditActions.ChatRenamed && a.TargetId == chat.Id.ToString())));
    }

    [Fact]
    public async Task AManagerRenamesTheContact_AnOpenInboxShowsTheChatsNewName_AtPhoneSize()
    {
        var phone = "+62813" + Random.Shared.Next(10_000_000, 99_999_999);
        var oldName = "Kontak Lama " + Guid.NewGuid().ToString("N")[..4];
        var newName = "Kontak Baru " + Guid.NewGuid().ToString("N")[..4];
        var chat = await QueryAsync(app, async db =>
        {
            var ws = await db.Workspaces.FirstAsync(w => w.Name == "Layanan Pelanggan");   // the workspace a new session of the owner opens
            var row = new Chat
            {
                TenantId = ws.TenantId, WorkspaceId = ws.Id, ExternalChatId = phone[1..] + "@c.us", PhoneNumber = phone,
                DisplayName = oldName, LastMessageAt = DateTimeOffset.UtcNow, LastMessagePreview = "halo",
            };
            db.Chats.Add(row);
            db.Contacts.Add(new Core.Contacts.Contact { TenantId = ws.TenantId, WorkspaceId = ws.Id, Name = oldName, Phone = phone });
            await db.SaveChangesAsync();
            return row;
        });

        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(390, 844);
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await page.GotoAsync($"/inbox/{chat.Id}");
            await page.WaitForCircuitAsync();
            await Assertions.Expect(page.ByTestId("conversation-title")).ToHaveTextAsync(oldName);
            await page.EvaluateAsync("() => window.__noReload = true");

            // The contact is renamed in another tab (the same user, the contacts page).
            var contactsTab = await page.Context.NewPageAsync();
            await contactsTab.GotoAsync("/contacts");
            await contactsTab.WaitForCircuitAsync();
            await contactsTab.ByTestId("contact-search").FillAsync(oldName);
            // The search has run when the grid holds one row (the first page may hold the contact too).
            await Assertions.Expect(contactsTab.ByTestId("contact-grid").Locator("tbody tr")).ToHaveCountAsync(1);
            var edit = contactsTab.ByTestId("contact-grid").Locator("tbody tr").Filter(new() { HasText = oldName }).GetByRole(AriaRole.Button, new() { Name = "Ubah" });
            await edit.ClickAsync();
            var name = contactsTab.Locator("input[data-testid=contact-name], [data-testid=contact-name] input").First;
            await Assertions.Expect(name).ToHaveValueAsync(oldName);
            await name.FillAsync(newName);
            await contactsTab.ByTestId("contact-save").ClickAsync();
            await Assertions.Expect(name).ToBeHiddenAsync();

            // The open conversation's header shows the new name without a reload; back in the list, the row too.
            await Assertions.Expect(page.ByTestId("conversation-title")).ToHaveTextAsync(newName);
            Assert.True(await page.EvaluateAsync<bool>("() => window.__noReload === true"));
            await page.ByTestId("conversation-back").ClickAsync();
            await page.Locator("input[data-testid=all-workspaces], [data-testid=all-workspaces] input").First.CheckAsync();
            await Assertions.Expect(page.Locator($"[data-testid=chat-row][data-chat-id='{chat.Id}'] [data-testid=chat-title]")).ToHaveTextAsync(newName);
        });
    }
}
