using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Admin;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Layout;

/// <summary>The main pages at phone size (390x844) and on a desktop (1440x900): nothing wider than the window, every action reachable.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PhoneLayoutBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    public static TheoryData<int, int> Sizes => new() { { LayoutProbe.Phone.Width, LayoutProbe.Phone.Height }, { LayoutProbe.Desktop.Width, LayoutProbe.Desktop.Height } };

    /// <summary>Signs in as the demo owner at the given size; the workspace switcher is in a menu on phones, so this waits for the circuit instead.</summary>
    internal static async Task SignInAtAsync(IPage page, int width, int height, string user = DemoAccounts.OwnerUserName, string password = DemoAccounts.OwnerPassword)
    {
        await page.SetViewportSizeAsync(width, height);
        await page.SignInAsync(DemoAccounts.LicenceCode, user, password);
        await page.ByTestId("app-bar").WaitForAsync();
        await page.WaitForCircuitAsync();
    }

    private static async Task OpenAsync(IPage page, string path, string marker)
    {
        await page.GotoAsync(path);
        await page.WaitForCircuitAsync();
        await page.Locator(marker).First.WaitForAsync();
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task TheMainPages_FitTheWindow_WithEveryButtonInside(int width, int height)
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await SignInAtAsync(page, width, height);
            foreach (var (path, marker) in new[]
            {
                ("/", "[data-testid=workspace-card]"),
                ("/inbox", "[data-testid=chat-row]"),
                ("/contacts", "[data-testid=tab-contacts]"),
                ("/broadcasts", "[data-testid=new-broadcast]"),
                ("/broadcasts/new", "[data-testid=broadcast-name]"),
                ("/settings", "[data-testid=settings-form]"),
                ("/workspaces", "[data-testid=workspace-table]"),
                ("/simulator", "[data-testid=sim-customer]"),
                ("/settings/api", "[data-testid=api-key-table]"),
                ("/automation", "h4"),
                ("/sequences", "h4"),
                ("/sequences/new", "[data-testid=sequence-source]"),
                ("/settings/audit", "[data-testid=audit-grid]"),
                ("/settings/privacy", "h4, h5"),
            })
            {
                await OpenAsync(page, path, marker);
                await LayoutProbe.AssertFitsAsync(page, path);
            }
            Assert.Empty(session.ConsoleErrors);
        });
    }

    [Fact]
    public async Task TheContactsGrid_ShowsTheDayAContactWasCreated_AsEveryOtherDate_NotInIsoForm()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await SignInAtAsync(page, LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            await OpenAsync(page, "/contacts", "[data-testid=tab-contacts]");
            var created = page.Locator("td[data-label='Dibuat']").First;
            await Assertions.Expect(created).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"\d{2}/\d{2}/\d{4}"));
            Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}", await created.InnerTextAsync());
        });
    }

    [Fact]
    public async Task AtPhoneSize_EveryNavLinkAndShellActionIsReachableThroughTheMenus()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await SignInAtAsync(page, LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            await LayoutProbe.AssertFitsAsync(page, "home");
            // The switcher, language, theme and sign-out are not in the bar itself at this size...
            Assert.False(await page.ByTestId("sign-out").IsVisibleAsync());
            Assert.False(await page.ByTestId("workspace-switcher").IsVisibleAsync());

            // ...every navigation link is in the drawer, inside the window.
            await page.ByTestId("nav-toggle").ClickAsync();
            var links = page.Locator("[data-testid=nav-menu] a.mud-nav-link");
            await links.First.WaitForAsync();
            var count = await links.CountAsync();
            Assert.True(count >= 10, $"only {count} nav links for the owner");
            for (var i = 0; i < count; i++)
            {
                await links.Nth(i).ScrollIntoViewIfNeededAsync();
                Assert.True(await LayoutProbe.InsideViewportAsync(links.Nth(i)), $"nav link {i} ({await links.Nth(i).InnerTextAsync()}) is outside the window");
            }
            // A link closes the overlay drawer and opens its page.
            await page.Locator("[data-testid=nav-menu] a[href='/contacts']").ClickAsync();
            await page.ByTestId("tab-contacts").WaitForAsync();
            await Assertions.Expect(page.Locator("[data-testid=nav-menu] a[href='/contacts']")).Not.ToBeInViewportAsync();

            // ...and the shell's own actions are in the "more" menu.
            await page.ByTestId("shell-more").ClickAsync();
            foreach (var id in new[] { "more-workspace", "more-theme", "more-language-id", "more-language-en", "more-sign-out" })
            {
                var item = page.ByTestId(id).First;
                await item.WaitForAsync();
                Assert.True(await LayoutProbe.InsideViewportAsync(item), $"{id} is outside the window");
            }
            await page.ByTestId("more-sign-out").ClickAsync();
            await page.WaitForURLAsync("**/account/login**");
        });
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task TheUnreadBadge_SitsInsideTheAppBar(int width, int height)
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await SignInAtAsync(page, width, height);
            var badge = page.Locator("[data-testid=total-unread] .mud-badge");
            await badge.WaitForAsync();
            var bar = (await page.ByTestId("app-bar").BoundingBoxAsync())!;
            var box = (await badge.BoundingBoxAsync())!;
            Assert.True(box.Y >= bar.Y && box.Y + box.Height <= bar.Y + bar.Height && box.X + box.Width <= bar.X + bar.Width,
                $"badge {box.X},{box.Y} {box.Width}x{box.Height} outside the bar {bar.Width}x{bar.Height}");
        });
    }

    // Issue 21: the badge hears counters-only moves through ShellState.AnyChanged, not the layout's Changed. A new
    // customer's message moves it live, without a reload, at phone size (the badge sits in the phone's app bar).
    [Fact]
    public async Task AtPhoneSize_ANewCustomersMessage_MovesTheUnreadBadge_WithoutAReload()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await SignInAtAsync(page, LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            var before = int.Parse(await page.ByTestId("total-unread-count").TextContentAsync() ?? "", System.Globalization.CultureInfo.InvariantCulture);
            await app.SimulateNewCustomerAsync("Toko Utama", "Pembeli Baru", "Kak, masih ada?");

            await page.WaitForFunctionAsync("want => document.querySelector('[data-testid=total-unread-count]')?.textContent?.trim() === want",
                (before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 15_000 });
            Assert.True(await page.ByTestId("total-unread").IsVisibleAsync());
        });
    }

    [Fact]
    public async Task AtPhoneSize_TheInboxIsListThenConversationThenDetails_AndBack()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await SignInAtAsync(page, LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            await OpenAsync(page, "/inbox", "[data-testid=chat-row]");
            await Assertions.Expect(page.ByTestId("no-chat-selected")).ToBeHiddenAsync();
            await LayoutProbe.AssertFitsAsync(page, "chat list");

            await page.ByTestId("chat-row").First.ClickAsync();
            await page.ByTestId("conversation").WaitForAsync();
            await Assertions.Expect(page.ByTestId("chat-row").First).ToBeHiddenAsync();
            // The conversation has the whole width, not a sliver beside the list.
            var messages = (await page.ByTestId("messages").BoundingBoxAsync())!;
            Assert.True(messages.Width >= LayoutProbe.Phone.Width - 40, $"messages are {messages.Width}px wide");
            await LayoutProbe.AssertFitsAsync(page, "conversation");

            var text = "Siap kak, dari HP " + Guid.NewGuid().ToString("N")[..6];
            var box = page.Locator("[data-testid=composer] textarea").First;
            await box.FillAsync(text);
            await box.PressAsync("Enter");
            var reply = page.ByTestId("message").Filter(new() { HasText = text });
            await Assertions.Expect(reply.Locator("[data-testid=ticks]")).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("Sent|Delivered|Read"));
            Assert.True(await LayoutProbe.InsideViewportAsync(reply), "the reply is outside the window");

            await page.ByTestId("conversation-details").ClickAsync();
            await page.ByTestId("chat-side").WaitForAsync();
            await Assertions.Expect(page.ByTestId("messages")).ToBeHiddenAsync();
            await LayoutProbe.AssertFitsAsync(page, "details");
            await page.ByTestId("details-back").ClickAsync();
            await page.ByTestId("messages").WaitForAsync();

            await page.ByTestId("conversation-back").ClickAsync();
            await page.ByTestId("chat-row").First.WaitForAsync();
            await Assertions.Expect(page.ByTestId("conversation")).ToHaveCountAsync(0);
            Assert.Equal("/inbox", page.Path());
            Assert.Empty(session.ConsoleErrors);
        });
    }

    [Fact]
    public async Task OnADesktop_TheInboxShowsListConversationAndDetailsSideBySide()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await SignInAtAsync(page, LayoutProbe.Desktop.Width, LayoutProbe.Desktop.Height);
            await OpenAsync(page, "/inbox", "[data-testid=chat-row]");
            await page.ByTestId("chat-row").First.ClickAsync();
            await page.ByTestId("conversation").WaitForAsync();
            await Assertions.Expect(page.ByTestId("chat-row").First).ToBeVisibleAsync();
            await Assertions.Expect(page.ByTestId("chat-side")).ToBeVisibleAsync();
            await Assertions.Expect(page.ByTestId("conversation-back")).ToBeHiddenAsync();
            await LayoutProbe.AssertFitsAsync(page, "inbox");
        });
    }

    [Fact]
    public async Task AnUnknownAddress_ShowsTheLocalisedNotFoundPage_WithAWayHome()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            // The first page of a cold app may take longer than the default 10 s on a loaded machine.
            var anonymous = await page.GotoAsync("/tidak-ada-halaman-ini", new() { Timeout = 30_000 });
            Assert.Equal(404, anonymous!.Status);
            await Assertions.Expect(page.ByTestId("not-found")).ToContainTextAsync("Halaman tidak ditemukan");
            Assert.Equal("/account/login", await page.ByTestId("not-found-home").GetAttributeAsync("href"));

            await SignInAtAsync(page, LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            var signedIn = await page.GotoAsync("/inbox/bukan/alamat");
            Assert.Equal(404, signedIn!.Status);
            await Assertions.Expect(page.ByTestId("not-found")).ToContainTextAsync("Halaman tidak ditemukan");
            Assert.Equal("/", await page.ByTestId("not-found-home").GetAttributeAsync("href"));
            await LayoutProbe.AssertFitsAsync(page, "404");
        });
    }

    [Fact]
    public async Task TheAgencyOwnersWayHome_LeadsToTheAgencyPage_NotBackToAccessDenied()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SignInAsync(AdminPages.AgencyLicenceCode, AdminPages.AgencyUserName, AdminPages.AgencyPassword);
            await page.WaitForCircuitAsync();
            await page.GotoAsync("/inbox");
            await page.ByTestId("access-denied").WaitForAsync();
            await page.ByTestId("back-home").ClickAsync();
            await page.ByTestId("agency-home").WaitForAsync();
            Assert.Equal("/agency", page.Path());
        });
    }

    [Fact]
    public async Task ANewTenantsHome_WithNoWorkspace_OffersToCreateOne()
    {
        const string password = "Kosong-Toko-2026!";
        IssuedLicence issued;
        using (var scope = app.Services.CreateScope())
        {
            issued = await scope.ServiceProvider.GetRequiredService<LicenceService>().IssueAsync(new IssueLicenceRequest
            {
                Kind = LicenceKind.Tenant, Name = "Toko Kosong " + Guid.NewGuid().ToString("N")[..4], OwnerUsername = "baru", OwnerDisplayName = "Baru",
                OwnerPassword = password, MaxWorkspaces = 1, Tier = PolicyTier.Standard, ExpiresAt = DateTimeOffset.UtcNow.AddDays(30),
            }, new AuditActor(AuditActorType.Admin, Guid.NewGuid(), "Admin Test"));
        }
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.SetViewportSizeAsync(LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            await page.SignInAsync(issued.Code, "baru", password);
            await page.WaitForCircuitAsync();
            await page.ByTestId("home-create-workspace").ClickAsync();
            await page.ByTestId("workspace-create").WaitForAsync();
            Assert.Equal("/workspaces", page.Path());
            await LayoutProbe.AssertFitsAsync(page, "empty workspaces");
        });
    }
}
