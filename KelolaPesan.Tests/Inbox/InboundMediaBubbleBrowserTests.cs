using System.Net;
using System.Text.Json.Nodes;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static KelolaPesan.Tests.Webhooks.AppWorkspaces;

namespace KelolaPesan.Tests.Inbox;

/// <summary>
/// Inbound media that could not be kept says why in its bubble instead of showing an empty one: over the policy's
/// size limit (the simulator's customer sends a file larger than it) and not kept by the gateway (a signed WAHA webhook
/// with media but no URL). Real app with its own policy, real Chromium, at phone size and on a desktop.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class InboundMediaBubbleBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private const long Limit = 1024 * 1024;
    private KelolaAppFactory _app = null!;

    public async Task InitializeAsync()
    {
        _app = new KelolaAppFactory().WithSetting("Gateway:MonitorIntervalSeconds", "0");
        await _app.StartAsync();
        await QueryAsync(_app, db => db.Policies.ExecuteUpdateAsync(s => s.SetProperty(p => p.MaxAttachmentBytes, Limit)));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task MediaThatWasNotKept_ShowsItsReasonInTheBubble_AtPhoneSizeAndOnADesktop()
    {
        // Over the limit: the demo shop's simulated customer sends 1.3 MB against a 1 MB policy.
        var session = await QueryAsync(_app, db => db.Workspaces.Where(w => w.Name == "Toko Utama").Select(w => w.ExternalSessionId!).FirstAsync());
        var phone = "62813" + Random.Shared.Next(10_000_000, 99_999_999);
        await _app.Services.GetRequiredService<SimulatorGateway>()
            .SimulateInboundMediaAsync(session, phone, "Dodi", caption: null, new byte[1_300_000], "image/jpeg", "foto.jpg");
        var tooLarge = await StoredAsync(db => db.Messages.Where(m => m.Error != null && db.Chats.Any(c => c.Id == m.ChatId && c.PhoneNumber == "+" + phone)));

        // Not kept by the gateway: WAHA says there is media and gives no URL.
        var ws = await CreateAsync(_app, "Media test");
        var payload = FakeWahaServer.MessagePayload("m-nomedia-1", "6281234567892@c.us", "6280000000009@c.us", null, pushName: "Eka");
        payload["hasMedia"] = true;
        using (var response = await FakeWahaServer.SendWebhookAsync(ws.WebhookUrl, ws.HmacKey, FakeWahaServer.Envelope("message.any", ws.Session, payload)))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var notKept = await StoredAsync(db => db.Messages.Where(m => m.ExternalMessageId == "m-nomedia-1" && m.Error != null));

        await using var browserSession = await browser.NewPageAsync(_app.BaseUrl);
        await browserSession.RunAsync(async page =>
        {
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);

            await page.SetViewportSizeAsync(390, 844);
            await page.GotoAsync($"/inbox/{tooLarge.ChatId}");
            await page.WaitForCircuitAsync();
            var bubble = page.Locator($"[data-testid=message][data-message-id='{tooLarge.Id}']");
            var reason = bubble.Locator("[data-testid=message-media-missing]");
            await Assertions.Expect(reason).ToHaveTextAsync("Media lebih besar dari batas 1 MB dan tidak disimpan.");
            await Assertions.Expect(reason).ToBeInViewportAsync();
            var box = (await reason.BoundingBoxAsync())!;
            Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"the reason fits the phone's width ({box.X} + {box.Width})");

            await page.SetViewportSizeAsync(1280, 800);
            await page.GotoAsync($"/inbox/{notKept.ChatId}");
            await page.WaitForCircuitAsync();
            await Assertions.Expect(page.Locator($"[data-testid=message][data-message-id='{notKept.Id}'] [data-testid=message-media-missing]"))
                .ToHaveTextAsync("Media pesan ini tidak disimpan oleh gateway.");
        });
    }

    private async Task<(Guid Id, Guid ChatId)> StoredAsync(Func<IKelolaDb, IQueryable<Message>> query)
    {
        (Guid, Guid) found = default;
        await EventuallyAsync(async () =>
        {
            found = await QueryAsync(_app, db => query(db).Select(m => new ValueTuple<Guid, Guid>(m.Id, m.ChatId)).FirstOrDefaultAsync());
            return found.Item1 != Guid.Empty;
        }, "message stored with its media problem");
        return found;
    }
}
