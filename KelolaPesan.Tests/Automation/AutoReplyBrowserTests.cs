using KelolaPesan.Core.Inbox;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static KelolaPesan.Tests.Webhooks.AppWorkspaces;

namespace KelolaPesan.Tests.Automation;

[Collection(BrowserCollection.Name)]
public sealed class AutoReplyBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task CreateARule_SendTheKeywordFromTheSimulator_TheBotsReplyAppearsInTheConversation()
    {
        var keyword = "promo" + Guid.NewGuid().ToString("N")[..6];
        var phone = "62812" + Random.Shared.Next(10_000_000, 99_999_999);
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await page.GotoAsync("/automation");
            await page.WaitForCircuitAsync();
            await page.ByTestId("add-rule").ClickAsync();
            await page.Locator("[data-testid=rule-name] input, input[data-testid=rule-name]").FillAsync("Promo");
            var keywordInput = page.Locator("[data-testid=rule-keyword] input, input[data-testid=rule-keyword]");
            await keywordInput.FillAsync(keyword);
            await keywordInput.PressAsync("Enter");
            await Assertions.Expect(page.ByTestId("rule-keywords")).ToContainTextAsync(keyword);
            await page.Locator("[data-testid=rule-reply] textarea, textarea[data-testid=rule-reply]").FillAsync("Halo {name}, promo {hemat|diskon} hari ini!");
            await page.ByTestId("rule-save").ClickAsync();
            await Assertions.Expect(page.ByTestId("rule-row").Filter(new() { HasText = keyword })).ToHaveCountAsync(1);

            // The test console answers without sending.
            await page.GetByRole(AriaRole.Tab, new() { Name = "Konsol uji" }).ClickAsync();
            await page.Locator("[data-testid=test-message] input, input[data-testid=test-message]").FillAsync("Ada " + keyword.ToUpperInvariant() + "?");
            await page.ByTestId("test-run").ClickAsync();
            await Assertions.Expect(page.ByTestId("test-rule")).ToContainTextAsync("Promo");
            await Assertions.Expect(page.ByTestId("test-reply")).ToContainTextAsync("Halo Budi, promo");

            await page.GotoAsync("/simulator");
            await page.WaitForCircuitAsync();
            await page.Locator("[data-testid=sim-customer-phone] input, input[data-testid=sim-customer-phone]").FillAsync(phone);
            await page.Locator("[data-testid=sim-customer-name] input, input[data-testid=sim-customer-name]").FillAsync("Sari");
            var message = page.Locator("[data-testid=sim-message] textarea, textarea[data-testid=sim-message]");
            await message.FillAsync("Kak, ada " + keyword + "?");
            // The field binds on change: leave it so the send button sees the text.
            await message.PressAsync("Tab");
            await page.ByTestId("sim-send").ClickAsync();
            await page.ByTestId("sim-notice").WaitForAsync();

            var chatId = Guid.Empty;
            await EventuallyAsync(async () => (chatId = await QueryAsync(app, db => db.Chats.Where(c => c.PhoneNumber == "+" + phone).Select(c => c.Id).FirstOrDefaultAsync())) != Guid.Empty, "chat created");
            await page.GotoAsync($"/inbox/{chatId}");
            await page.WaitForCircuitAsync();
            var botReply = page.Locator("[data-testid=message][data-direction=Outbound]", new() { HasText = "Halo Sari, promo" });
            await Assertions.Expect(botReply).ToHaveCountAsync(1, new() { Timeout = 15_000 });
            await Assertions.Expect(botReply.Locator(".bubble-sender")).ToHaveTextAsync("Bot");
            Assert.Equal(MessageOrigin.Bot, await QueryAsync(app, db => db.Messages.Where(m => m.ChatId == chatId && m.Direction == MessageDirection.Outbound).Select(m => m.Origin).SingleAsync()));
        });
    }

    [Fact]
    public async Task AKeywordTypedWithoutEnter_IsSavedWithTheRule()
    {
        var keyword = "ongkir" + Guid.NewGuid().ToString("N")[..6];
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsDemoAsync(DemoAccounts.OwnerUserName, DemoAccounts.OwnerPassword);
            await page.GotoAsync("/automation");
            await page.WaitForCircuitAsync();
            await page.ByTestId("add-rule").ClickAsync();
            await page.Locator("[data-testid=rule-name] input, input[data-testid=rule-name]").FillAsync("Ongkir " + keyword);
            // Typed, never confirmed with Enter.
            await page.Locator("[data-testid=rule-keyword] input, input[data-testid=rule-keyword]").FillAsync(keyword);
            await page.Locator("[data-testid=rule-reply] textarea, textarea[data-testid=rule-reply]").FillAsync("Ongkir 20rb ya kak");
            await page.ByTestId("rule-save").ClickAsync();
            await Assertions.Expect(page.ByTestId("rule-row").Filter(new() { HasText = keyword })).ToHaveCountAsync(1);
        });

        Assert.Equal([keyword], await QueryAsync(app, db => db.BotKeywords.Where(k => k.Keyword == keyword).Select(k => k.Keyword).ToListAsync()));
    }
}
