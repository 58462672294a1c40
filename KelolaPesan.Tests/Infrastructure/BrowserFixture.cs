using Microsoft.Playwright;

namespace KelolaPesan.Tests.Infrastructure;

/// <summary>
/// One headless Debian Chromium for a whole test collection: starting it costs about a
/// second, a fresh context per test costs milliseconds and keeps cookies apart.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>How long any Playwright action or wait may take before the test fails.</summary>
    public const float DefaultTimeoutMs = 10_000;

    // The machine's network is closed: without the background-networking flags Chromium keeps
    // opening connections that are refused. No sandbox because tests run as root.
    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("BrowserFixture is not initialized.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"{ChromiumPath} is missing. Run `bash scripts/test.sh`, which installs Debian's chromium (never `playwright install`).");
        }
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>A fresh context (own cookies and storage) with one page opened on nothing yet.</summary>
    /// <param name="locale">The browser's own locale: it decides how native inputs show a time ("en-US": 12-hour, with AM/PM).</param>
    public async Task<BrowserSession> NewPageAsync(string baseUrl, string locale = "id-ID")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            Locale = locale,
            TimezoneId = "Asia/Jakarta",
        });
        context.SetDefaultTimeout(DefaultTimeoutMs);
        context.SetDefaultNavigationTimeout(DefaultTimeoutMs);
        var page = await context.NewPageAsync();
        return new BrowserSession(context, page);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
    }
}
