using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Tests.Layout;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Inbox;

/// <summary>Message bubbles as the agent reads them: WhatsApp formatting as elements around text, and dark mode readable.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BubbleBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public async Task InDarkMode_OutboundBubbles_MeetWcagAA_AndWhatsAppFormattingIsRenderedAsText()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await PhoneLayoutBrowserTests.SignInAtAsync(page, LayoutProbe.Desktop.Width, LayoutProbe.Desktop.Height);
            // A demo chat that opens with the customer's message: the first row may be a chat another test started.
            await page.GotoAsync($"/inbox/{await ADemoChatWithACustomerMessageAsync()}");
            await page.WaitForCircuitAsync();
            await page.ByTestId("conversation").WaitForAsync();

            var tag = Guid.NewGuid().ToString("N")[..6];
            var box = page.Locator("[data-testid=composer] textarea").First;
            await box.FillAsync($"{tag} *tebal* ~coret~ <b>x</b>\n_Dikirim dengan Kelola Pesan_");
            await box.PressAsync("Enter");
            var reply = page.ByTestId("message").Filter(new() { HasText = tag });
            await reply.Locator("[data-testid=ticks]").WaitForAsync();

            // The watermark's underscores are WhatsApp italics; markup in the text stays text.
            await Assertions.Expect(reply.Locator("em")).ToHaveTextAsync("Dikirim dengan Kelola Pesan");
            await Assertions.Expect(reply.Locator("strong")).ToHaveTextAsync("tebal");
            await Assertions.Expect(reply.Locator("s")).ToHaveTextAsync("coret");
            Assert.Equal(0, await reply.Locator("b").CountAsync());
            Assert.Contains("<b>x</b>", await reply.ByTestIdAsync("message-text"));

            var wasDark = await page.Locator(".kp-dark").CountAsync() > 0;
            try
            {
                if (!wasDark)
                    await page.ByTestId("theme-toggle").ClickAsync();
                await page.Locator(".kp-dark").WaitForAsync(new() { State = WaitForSelectorState.Attached });
                foreach (var part in new[] { "[data-testid=message-text]", "em", ".bubble-sender", ".bubble-time" })
                {
                    var contrast = await LayoutProbe.ContrastAsync(reply.Locator(part).First);
                    Assert.True(contrast >= 4.5, $"{part} in a dark outbound bubble has contrast {contrast:0.00}");
                }
                // The customer's bubbles too.
                var inbound = page.Locator("[data-direction=Inbound] [data-testid=message-text]").First;
                await inbound.WaitForAsync();
                var inboundContrast = await LayoutProbe.ContrastAsync(inbound);
                Assert.True(inboundContrast >= 4.5, $"text in a dark inbound bubble has contrast {inboundContrast:0.00}");
                foreach (var part in new[] { ".bubble-time" })
                {
                    var meta = page.Locator($"[data-direction=Inbound] {part}").First;
                    if (await meta.CountAsync() > 0)
                    {
                        var contrast = await LayoutProbe.ContrastAsync(meta);
                        Assert.True(contrast >= 4.5, $"{part} in a dark inbound bubble has contrast {contrast:0.00}");
                    }
                }
            }
            finally
            {
                // The theme is stored per user, and other tests sign in as the same owner.
                if (!wasDark && await page.Locator(".kp-dark").CountAsync() > 0)
                {
                    await page.ByTestId("theme-toggle").ClickAsync();
                    await page.Locator(".kp-dark").WaitForAsync(new() { State = WaitForSelectorState.Detached });
                }
            }
            // And in light mode the same bubble is readable too.
            Assert.True(await LayoutProbe.ContrastAsync(reply.Locator("[data-testid=message-text]").First) >= 4.5);
        });
    }

    private async Task<Guid> ADemoChatWithACustomerMessageAsync()
    {
        using var scope = app.Services.CreateScope();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        var shop = await db.Workspaces.SingleAsync(w => w.Name == "Toko Utama");
        return await db.Messages.Where(m => m.WorkspaceId == shop.Id && m.Direction == MessageDirection.Inbound)
            .OrderBy(m => m.Id).Select(m => m.ChatId).FirstAsync();
    }
}

internal static class LocatorText
{
    public static Task<string> ByTestIdAsync(this ILocator locator, string testId) => locator.Locator($"[data-testid={testId}]").InnerTextAsync();
}
