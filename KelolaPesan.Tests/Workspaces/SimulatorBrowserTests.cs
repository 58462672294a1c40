using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Webhooks;
using Microsoft.EntityFrameworkCore;
using KelolaPesan.Tests.Layout;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Workspaces;

/// <summary>The simulator as a customer's phone: one click sends, a picture arrives in the inbox, the agent's reply comes back with its ticks.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SimulatorBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    // A 1x1 PNG: the attachment store detects the type from the bytes, not from the name.
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    [Fact]
    public async Task OneClickSends_APictureReachesTheInbox_AndTheAgentsReplyShowsWithTicks()
    {
        await using var customer = await browser.NewPageAsync(app.BaseUrl);
        await using var agent = await browser.NewPageAsync(app.BaseUrl);
        await customer.RunAsync(async page =>
        {
            await PhoneLayoutBrowserTests.SignInAtAsync(page, LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            await page.GotoAsync("/simulator");
            await page.WaitForCircuitAsync();
            await page.ByTestId("sim-customer").WaitForAsync();

            var phone = "62812" + Random.Shared.Next(1_000_000, 9_999_999) + "1";
            var name = "Sim " + Guid.NewGuid().ToString("N")[..6];
            await page.Locator("[data-testid=sim-customer-phone] input, input[data-testid=sim-customer-phone]").FillAsync(phone);
            await page.Locator("[data-testid=sim-customer-name] input, input[data-testid=sim-customer-name]").FillAsync(name);
            var text = "Halo, ada stok? " + name;
            await page.Locator("[data-testid=sim-message] textarea, textarea[data-testid=sim-message]").FillAsync(text);
            // One click, no blur first: the field binds on input.
            await page.ByTestId("sim-send").ClickAsync();
            await Assertions.Expect(page.ByTestId("sim-own-message").Filter(new() { HasText = text })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=sim-message] textarea, textarea[data-testid=sim-message]")).ToHaveValueAsync("");

            // The customer sends a picture through the same inbound path.
            await (await page.Locator("input[type=file]").ReadyInputFileAsync()).SetInputFilesAsync(new FilePayload { Name = "foto-produk.png", MimeType = "image/png", Buffer = Png });
            await Assertions.Expect(page.ByTestId("sim-own-message").Filter(new() { HasText = "foto-produk.png" })).ToBeVisibleAsync();
            await LayoutProbe.AssertFitsAsync(page, "simulator");

            // The agent sees both in the inbox, the picture inline, and replies.
            await PhoneLayoutBrowserTests.SignInAtAsync(agent.Page, LayoutProbe.Desktop.Width, LayoutProbe.Desktop.Height);
            await agent.Page.GotoAsync("/inbox");
            await agent.Page.WaitForCircuitAsync();
            await agent.Page.Locator("input[data-testid=all-workspaces], [data-testid=all-workspaces] input").First.CheckAsync();
            var row = agent.Page.ByTestId("chat-row").Filter(new() { HasText = name });
            await row.First.ClickAsync();
            await Assertions.Expect(agent.Page.ByTestId("message-image")).ToBeVisibleAsync();
            await Assertions.Expect(agent.Page.ByTestId("message-text").Filter(new() { HasText = text })).ToBeVisibleAsync();
            var answer = "Ada kak, silakan " + name;
            var box = agent.Page.Locator("[data-testid=composer] textarea").First;
            await box.FillAsync(answer);
            await box.PressAsync("Enter");

            // The customer's pane shows the reply live, and its ticks move to Read without a reload.
            var reply = page.ByTestId("sim-reply").Filter(new() { HasText = answer });
            await Assertions.Expect(reply).ToBeVisibleAsync();
            await Assertions.Expect(reply.Locator("[data-testid=ticks]")).ToHaveAttributeAsync("data-status", "Read", new() { Timeout = 15_000 });
            Assert.Empty(customer.ConsoleErrors);
        });
    }

    [Fact]
    public async Task ANumberTypedInLocalForm_IsTheCustomersInternationalNumber_AndANonNumberIsRefusedWithAMessage()
    {
        await using var customer = await browser.NewPageAsync(app.BaseUrl);
        await customer.RunAsync(async page =>
        {
            await PhoneLayoutBrowserTests.SignInAtAsync(page, LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            await page.GotoAsync("/simulator");
            await page.WaitForCircuitAsync();
            await page.ByTestId("sim-customer").WaitForAsync();
            var phoneField = page.Locator("[data-testid=sim-customer-phone] input, input[data-testid=sim-customer-phone]");
            var message = page.Locator("[data-testid=sim-message] textarea, textarea[data-testid=sim-message]");

            var local = "0813 " + Random.Shared.Next(1000, 9999) + " " + Random.Shared.Next(1000, 9999);
            var international = "+62" + local[1..].Replace(" ", "");
            await phoneField.FillAsync(local);
            var text = "Halo dari nomor lokal " + local;
            await message.FillAsync(text);
            await page.ByTestId("sim-send").ClickAsync();
            await Assertions.Expect(page.ByTestId("sim-own-message").Filter(new() { HasText = text })).ToBeVisibleAsync();
            await AppWorkspaces.EventuallyAsync(() => AppWorkspaces.QueryAsync(app, db => db.Chats.AnyAsync(c => c.PhoneNumber == international)),
                "the chat stored under the international number");

            await phoneField.FillAsync("12");
            await message.FillAsync("Tidak terkirim");
            await page.ByTestId("sim-send").ClickAsync();
            await Assertions.Expect(page.ByTestId("sim-error")).ToContainTextAsync("Nomor pelanggan tidak bisa dipakai");
            await Assertions.Expect(message).ToHaveValueAsync("Tidak terkirim");
            await LayoutProbe.AssertFitsAsync(page, "simulator with a refused number");
        });
    }
}
