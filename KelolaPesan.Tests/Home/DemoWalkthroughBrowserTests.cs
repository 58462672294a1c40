using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Data;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Broadcasts;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Home;

/// <summary>
/// The demo end to end on every provider (issue 17: "the demo works end to end on PostgreSQL"): the owner signs in,
/// replies in the inbox, starts a small broadcast and imports a small CSV, each checked in the page and in the
/// database the app runs on.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoWalkthroughBrowserTests(BrowserFixture browser)
{
    private const string CustomerPhone = "6281377799901";
    private static readonly System.Text.RegularExpressions.Regex GatewayTook = new("^(Sent|Delivered|Read)$");

    [Theory, Providers]
    public async Task Owner_RepliesInTheInbox_StartsABroadcast_AndImportsACsv(DatabaseProvider provider)
    {
        await using var app = new KelolaAppFactory();
        await app.UseProviderAsync(provider);
        await app.StartAsync();
        using var scope = app.Services.CreateScope();
        var factory = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>();
        Guid tenantId;
        Core.Tenancy.PolicyTier tier;
        await using (var db = factory.CreateSystem())
        {
            var shops = await db.Workspaces.Where(w => db.Tenants.Any(t => t.Id == w.TenantId && t.Name == "Toko Demo")).ToListAsync();
            tenantId = shops[0].TenantId;
            tier = await db.Licences.Where(l => db.Tenants.Any(t => t.LicenceId == l.Id && t.Id == tenantId)).Select(l => l.Tier).FirstAsync();
            // The demo's numbers are connected at the simulator, as after a QR scan (whichever workspace the owner lands in).
            var simulator = app.Services.GetRequiredService<SimulatorGateway>();
            foreach (var shop in shops.Where(w => w.ExternalSessionId is not null))
            {
                await simulator.EnsureSessionAsync(new GatewaySessionSetup(shop.ExternalSessionId!, new Dictionary<string, string>(), "http://127.0.0.1/none", "k"), CancellationToken.None);
                if ((await simulator.GetSessionAsync(shop.ExternalSessionId!, CancellationToken.None)).Status == GatewaySessionStatus.ScanQr)
                    await simulator.ScanAsync(shop.ExternalSessionId!, "62811000000" + shops.IndexOf(shop), shop.Name);
            }
        }
        // Zero pacing so the broadcast finishes within the test; allowed by the demo tier's policy only.
        await ZeroPacing.AllowAsync(factory.CreateSystem, tier);

        var customerName = "Pelanggan " + Guid.NewGuid().ToString("N")[..6];
        var question = "Masih ada stok? " + customerName;
        var csv = Path.Combine(app.DataDirectory, $"pelanggan-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(csv, "Nama,No HP\nPembeli Walkthrough Satu,081377700001\nPembeli Walkthrough Dua,0813-7770-0002\n");

        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);

            // A customer writes from the simulator's phone (the same inbound path as a WAHA webhook).
            await page.GotoAsync("/simulator");
            await page.WaitForCircuitAsync();
            await page.ByTestId("sim-customer").WaitForAsync();
            await page.Locator("[data-testid=sim-customer-phone] input, input[data-testid=sim-customer-phone]").FillAsync(CustomerPhone);
            await page.Locator("[data-testid=sim-customer-name] input, input[data-testid=sim-customer-name]").FillAsync(customerName);
            await page.Locator("[data-testid=sim-message] textarea, textarea[data-testid=sim-message]").FillAsync(question);
            await page.ByTestId("sim-send").ClickAsync();
            await Assertions.Expect(page.ByTestId("sim-own-message").Filter(new() { HasText = question })).ToBeVisibleAsync();

            // Inbox: the owner opens that chat, sees the question and replies with Enter; the ticks show the gateway took it.
            await page.GotoAsync("/inbox");
            await page.WaitForCircuitAsync();
            await page.Locator("input[data-testid=all-workspaces], [data-testid=all-workspaces] input").First.CheckAsync();
            await page.ByTestId("chat-row").Filter(new() { HasText = customerName }).First.ClickAsync();
            await Assertions.Expect(page.ByTestId("message-text").Filter(new() { HasText = question })).ToBeVisibleAsync();
            var box = await page.ReplyBoxAsync();
            await box.FillAsync("Balasan walkthrough");
            await box.PressAsync("Enter");
            var reply = page.ByTestId("message").Filter(new() { HasText = "Balasan walkthrough" });
            // The simulator acks Delivered 0.5-2 s after the send: any of the three means the gateway took it.
            await Assertions.Expect(reply.Locator("[data-testid=ticks]")).ToHaveAttributeAsync("data-status", GatewayTook, new() { Timeout = 10_000 });
            Assert.Equal("", await box.InputValueAsync());

            // Broadcast: three numbers typed in, created and started, sent to the end.
            await page.GotoAsync("/broadcasts/new");
            await page.WaitForCircuitAsync();
            var name = "Walkthrough-" + Guid.NewGuid().ToString("N")[..6];
            await page.Locator("[data-testid=broadcast-name] input, input[data-testid=broadcast-name]").FillAsync(name);
            await page.Locator("[data-testid=audience-numbers] textarea, textarea[data-testid=audience-numbers]").FillAsync("081311100001\n081311100002\n081311100003");
            await page.Locator("[data-testid=broadcast-message] textarea, textarea[data-testid=broadcast-message]").FillAsync("{Halo|Hai} {name|Kak}, promo hari ini!");
            await page.Locator("[data-testid=pacing-min] input, input[data-testid=pacing-min]").FillAsync("0");
            await page.Locator("[data-testid=pacing-max] input, input[data-testid=pacing-max]").FillAsync("0");
            await page.ByTestId("broadcast-create").ClickAsync();
            // Creating materialises the audience first: under load that took over the default 10 s once.
            await page.WaitForURLAsync("**/broadcasts/*-*", new() { Timeout = 30_000 });
            await Assertions.Expect(page.ByTestId("broadcast-status")).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 30_000 });

            // Import: a small CSV into the contacts.
            await page.GotoAsync("/contacts");
            await page.WaitForCircuitAsync();
            await page.GetByRole(AriaRole.Tab, new() { Name = "Impor" }).ClickAsync();
            await (await page.ByTestId("import-file").ReadyInputFileAsync()).SetInputFilesAsync(csv);
            await page.ByTestId("import-mapping").WaitForAsync();
            await page.ByTestId("map-0").SelectOptionAsync("name");
            await page.ByTestId("map-1").SelectOptionAsync("phone");
            await page.ByTestId("import-run").ClickAsync();
            await Assertions.Expect(page.ByTestId("import-counts")).ToContainTextAsync("2 dibuat", new() { Timeout = 30_000 });
            Assert.Empty(session.ConsoleErrors);
        });

        // What the pages showed is what the database holds.
        await using var check = factory.CreateSystem();
        var inbound = await check.Messages.SingleAsync(m => m.TenantId == tenantId && m.Body == question && m.Direction == MessageDirection.Inbound);
        Assert.True(await check.Messages.AnyAsync(m => m.ChatId == inbound.ChatId && m.Body == "Balasan walkthrough" && m.Direction == MessageDirection.Outbound && m.ExternalMessageId != null));
        var broadcast = await check.Broadcasts.SingleAsync(b => b.TenantId == tenantId && b.Name.StartsWith("Walkthrough-"));
        // Sent, then the simulator's acks move each recipient on to Delivered and Read: all three went out.
        var recipients = await check.BroadcastRecipients.Where(r => r.BroadcastId == broadcast.Id).ToListAsync();
        Assert.Equal(3, recipients.Count);
        Assert.All(recipients, r =>
        {
            Assert.Contains(r.Status, new[] { RecipientStatus.Sent, RecipientStatus.Delivered, RecipientStatus.Read });
            Assert.NotNull(r.ExternalMessageId);
            Assert.NotNull(r.SentAt);
        });
        Assert.Equal(2, await check.Contacts.CountAsync(c => c.TenantId == tenantId && c.Name.StartsWith("Pembeli Walkthrough")));
    }
}
