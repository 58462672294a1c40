using System.Text.RegularExpressions;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Layout;

/// <summary>
/// One language per page: in English the main pages show none of a small list of Indonesian interface words, and in
/// Indonesian none of the English ones, a validation error from a Core validator included (issue 19, item 2).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class LanguageBrowserTests(BrowserFixture browser, KelolaAppFactory app)
{
    private static readonly (string Path, string Marker)[] MainPages =
    [
        ("/", "[data-testid=workspace-card]"),
        ("/inbox", "[data-testid=chat-row]"),
        ("/contacts", "[data-testid=tab-contacts]"),
        ("/broadcasts", "[data-testid=new-broadcast]"),
        ("/settings", "[data-testid=settings-form]"),
    ];

    // Interface words only: customer names and message texts are the tenant's own and may be in any language.
    private static readonly string[] IndonesianWords =
        ["Pengaturan", "Simpan", "Batal", "Keluar", "Kontak", "Siaran", "Cari", "Semua", "Belum", "Tidak", "Hapus", "Kirim", "Terkirim", "Baru"];

    private static readonly string[] EnglishWords =
        ["Settings", "Save", "Cancel", "Sign out", "Contacts", "Search", "All", "Delete", "Send", "New", "required", "phone number", "not valid"];

    [Fact]
    public async Task InEnglish_TheMainPages_ShowNoIndonesianWords()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await PhoneLayoutBrowserTests.SignInAtAsync(page, LayoutProbe.Desktop.Width, LayoutProbe.Desktop.Height);
            await SwitchAsync(page, "en");
            foreach (var (path, marker) in MainPages)
                await AssertNoneAsync(page, path, marker, "en", IndonesianWords);
        });
    }

    [Fact]
    public async Task InIndonesian_AtPhoneSize_TheMainPagesAndAValidationError_ShowNoEnglishWords()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await PhoneLayoutBrowserTests.SignInAtAsync(page, LayoutProbe.Phone.Width, LayoutProbe.Phone.Height);
            await SwitchAsync(page, "id");
            foreach (var (path, marker) in MainPages)
                await AssertNoneAsync(page, path, marker, "id", EnglishWords);

            // A Core validator's message in the form: the same rule the API answers in English.
            await page.GotoAsync("/contacts");
            await page.WaitForCircuitAsync();
            await page.ByTestId("contact-new").ClickAsync();
            await page.Locator("input[data-testid=contact-name]").FillAsync("Tes Bahasa");
            await page.Locator("input[data-testid=contact-phone]").FillAsync("+62 21 1");
            await page.ByTestId("contact-save").ClickAsync();
            // Under the field, once (it was also repeated below the form).
            var error = page.Locator(".mud-dialog .mud-input-helper-text.mud-input-error");
            await Assertions.Expect(error).ToHaveCountAsync(1);
            var text = await error.InnerTextAsync();
            Assert.Contains("Jumlah digit nomor telepon terlalu sedikit atau terlalu banyak.", text);
            Assert.Empty(Found(text, EnglishWords));
            await Assertions.Expect(page.Locator(".mud-dialog").GetByText("Jumlah digit nomor telepon")).ToHaveCountAsync(1);
        });
    }

    private static async Task SwitchAsync(IPage page, string culture)
    {
        await page.GotoAsync($"/account/culture?culture={culture}&returnUrl=%2F");
        await page.WaitForCircuitAsync();
        await page.Locator($"html[lang={culture}]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    private static async Task AssertNoneAsync(IPage page, string path, string marker, string culture, string[] words)
    {
        await page.GotoAsync(path);
        await page.WaitForCircuitAsync();
        await page.Locator(marker).First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        Assert.Equal(culture, await page.Locator("html").GetAttributeAsync("lang"));
        // Interface text: the page minus the tenant's own content (chat rows and bubbles, contact and broadcast rows).
        var text = await page.EvaluateAsync<string>("""
            () => {
                const copy = document.body.cloneNode(true);
                copy.querySelectorAll('[data-user-content], [data-testid=chat-row], [data-testid=message-bubble], .mud-table-body, .mud-data-grid tbody, script, style, [hidden]')
                    .forEach(e => e.remove());
                return copy.innerText + ' ' + [...document.querySelectorAll('input[placeholder], textarea[placeholder]')].map(i => i.placeholder).join(' ');
            }
            """);
        var found = Found(text, words);
        Assert.True(found.Count == 0, $"{path} in '{culture}' shows: {string.Join(", ", found)}");
    }

    private static List<string> Found(string text, string[] words) =>
        words.Where(w => Regex.IsMatch(text, $@"(?<![\p{{L}}]){Regex.Escape(w)}(?![\p{{L}}])")).ToList();
}
