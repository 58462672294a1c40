using System.Globalization;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Layout;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Inbox;

[Collection(BrowserCollection.Name)]
public sealed class ConversationDaysBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task AtPhoneSize_AConversationMarksEachDay_InTheTenantsZone_AndALiveMessageJoinsToday()
    {
        var agent = await AccessSeed.AddDemoAgentAsync(app);
        Guid chatId, tenantId, workspaceId;
        DateOnly older;
        await using (var db = AccessSeed.System(app))
        {
            var workspace = await db.Workspaces.FirstAsync(w => w.Name == "Toko Utama");
            (tenantId, workspaceId) = (workspace.TenantId, workspace.Id);
            var zone = TenantTime.Zone(await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.TimeZone).SingleAsync());
            var now = DateTimeOffset.UtcNow;
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
            var midnight = new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(today.ToDateTime(TimeOnly.MinValue)));
            older = today.AddDays(-4);
            var chat = Seed.In(db, tenantId).Chat(workspaceId, "Pembeli Harian " + Guid.NewGuid().ToString("N")[..6], "+6281299992" + Random.Shared.Next(100, 999),
                c => (c.AssignedUserId, c.LastMessageAt) = (agent.UserId, now));
            chatId = chat.Id;
            // Ten minutes before midnight in the tenant's zone is yesterday there, whatever day it is in UTC.
            foreach (var (at, body) in new[] { (midnight.AddDays(-4).AddHours(12), "empat hari lalu"), (midnight.AddMinutes(-10), "kemarin malam"), (now.AddSeconds(-5), "hari ini") })
                db.Messages.Add(new Message
                {
                    TenantId = tenantId, WorkspaceId = workspaceId, ChatId = chatId, Direction = MessageDirection.Inbound, Origin = MessageOrigin.Customer,
                    Body = body, Status = MessageStatus.Delivered, SentAt = at, ExternalMessageId = "days_" + Guid.NewGuid().ToString("N"),
                });
            await db.SaveChangesAsync();
        }

        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            await page.SignInAsDemoAsync(agent.Username, AccessSeed.Password);
            await page.GotoAsync($"/inbox/{chatId}");
            await page.WaitForCircuitAsync();

            var separators = page.ByTestId("day-separator");
            await Assertions.Expect(separators).ToHaveTextAsync([older.ToString("d MMMM yyyy", new CultureInfo("id")), "Kemarin", "Hari ini"]);
            await LayoutProbe.AssertFitsAsync(page, "a conversation with day markers");
            Assert.True(await LayoutProbe.ContrastAsync(separators.Last.Locator("span")) >= 4.5, "a day marker reads at AA");

            await BrowserInbound.ReceiveAsync(app, tenantId, workspaceId, chatId, "pesan baru hari ini");
            await Assertions.Expect(page.ByTestId("message").Last).ToContainTextAsync("pesan baru hari ini");
            await Assertions.Expect(separators).ToHaveCountAsync(3);

            // Desktop: the markers sit in the conversation column as well.
            await page.SetViewportSizeAsync(LayoutProbe.Desktop.Width, LayoutProbe.Desktop.Height);
            await Assertions.Expect(separators.Last).ToBeVisibleAsync();
            await LayoutProbe.AssertFitsAsync(page, "a conversation with day markers on a desktop");
        });
    }
}
