using System.Diagnostics;
using Microsoft.Playwright;

namespace KelolaPesan.Bench.Live;

/// <summary>
/// Agent browsers: one headless Debian Chromium, one context (one signed-in agent) per <c>pagesPerContext</c> tabs,
/// each tab on <c>/inbox</c> with a MutationObserver that stamps the first moment any marker text <c>KPMARK-n</c>
/// enters its DOM, on the page's high-resolution clock (<c>performance.timeOrigin + performance.now()</c>). Each page's
/// clock is mapped to the bench's own by round trips (the offset of the shortest one), so a stamp compares with the
/// moment the bench posted the webhook.
/// </summary>
public sealed class AgentPages : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string MarkerPrefix = "KPMARK-";

    private const string ObserverScript = """
        () => {
          if (window.__kpSeen) return;
          const seen = window.__kpSeen = {};
          const re = /KPMARK-\d+/g;
          const scan = (s, t) => {
            if (!s || s.indexOf('KPMARK-') < 0) return;
            for (const m of s.matchAll(re)) if (!(m[0] in seen)) seen[m[0]] = t;
          };
          new MutationObserver(records => {
            const t = performance.timeOrigin + performance.now();
            for (const r of records) {
              if (r.type === 'characterData') scan(r.target.data, t);
              else for (const n of r.addedNodes) scan(n.textContent, t);
            }
          }).observe(document.body, { subtree: true, childList: true, characterData: true });
        }
        """;

    private static readonly long EpochTicksAtStart = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * TimeSpan.TicksPerMillisecond;
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly List<IBrowserContext> _contexts = [];
    private readonly List<AgentPage> _pages = [];

    private AgentPages(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public IReadOnlyList<AgentPage> Pages => _pages;

    /// <summary>The bench's clock in Unix milliseconds, high resolution (a stopwatch from one reading of the wall clock).</summary>
    public static double NowMs() => (EpochTicksAtStart + Clock.Elapsed.Ticks) / (double)TimeSpan.TicksPerMillisecond;

    public static async Task<AgentPages> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing (Debian's chromium package; scripts/test.sh installs it).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                // Background tabs keep their timers and rendering at full speed, as a visible agent window does.
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows",
            ],
        });
        return new AgentPages(playwright, browser);
    }

    /// <summary>
    /// Opens <paramref name="count"/> inbox pages, <paramref name="perContext"/> per signed-in agent, and waits until
    /// each is interactive and shows <paramref name="rows"/> chat rows (fewer if the viewport holds fewer).
    /// </summary>
    public async Task OpenAsync(string baseUrl, LiveWorld world, int count, int perContext, int viewportHeight, Action<string> log)
    {
        var contexts = (count + perContext - 1) / perContext;
        if (contexts > world.AgentNames.Count)
            throw new InvalidOperationException($"{contexts} contexts need as many agents; {world.AgentNames.Count} seeded.");
        for (var c = 0; c < contexts; c++)
        {
            var context = await _browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = baseUrl, Locale = "id-ID", TimezoneId = "Asia/Jakarta",
                ViewportSize = new ViewportSize { Width = 1280, Height = viewportHeight },
            });
            context.SetDefaultTimeout(120_000);
            context.SetDefaultNavigationTimeout(120_000);
            _contexts.Add(context);
            var first = await context.NewPageAsync();
            await first.GotoAsync("/account/login");
            await first.Locator("[data-testid=licence-code]").FillAsync(world.LicenceCode);
            await first.Locator("[data-testid=username]").FillAsync(world.AgentNames[c]);
            await first.Locator("[data-testid=password]").FillAsync(world.Password);
            await first.Locator("[data-testid=sign-in]").ClickAsync();
            await first.Locator("[data-testid=workspace-switcher]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            var inContext = Math.Min(perContext, count - c * perContext);
            var pages = new List<IPage> { first };
            for (var p = 1; p < inContext; p++)
                pages.Add(await context.NewPageAsync());
            // The tabs of one agent open side by side, as a browser restoring its session does.
            await Task.WhenAll(pages.Select(OpenInboxAsync));
            foreach (var page in pages)
                _pages.Add(new AgentPage(page, await ClockOffsetAsync(page)));
            log($"  {_pages.Count}/{count} inbox pages open");
        }
    }

    private static async Task OpenInboxAsync(IPage page)
    {
        await page.GotoAsync("/inbox");
        await page.Locator("[data-testid=circuit-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("[data-testid=chat-row]").First.WaitForAsync();
        await page.EvaluateAsync(ObserverScript);
    }

    /// <summary>Page clock minus bench clock, from the round trip with the least delay of several.</summary>
    private static async Task<double> ClockOffsetAsync(IPage page)
    {
        var best = (Rtt: double.MaxValue, Offset: 0.0);
        for (var i = 0; i < 5; i++)
        {
            var before = NowMs();
            var pageTime = await page.EvaluateAsync<double>("() => performance.timeOrigin + performance.now()");
            var after = NowMs();
            if (after - before < best.Rtt)
                best = (after - before, pageTime - (before + after) / 2);
        }
        return best.Offset;
    }

    /// <summary>The chat rows each page renders now.</summary>
    public Task<int[]> RowCountsAsync() =>
        Task.WhenAll(_pages.Select(p => p.Page.Locator("[data-testid=chat-row]").CountAsync()));

    /// <summary>
    /// Waits until every page's DOM showed <paramref name="marker"/>; returns each page's delay after
    /// <paramref name="postedAtMs"/> (bench clock), or null for a page that did not show it within <paramref name="patience"/>.
    /// </summary>
    public async Task<double?[]> WaitForMarkerAsync(string marker, double postedAtMs, TimeSpan patience)
    {
        return await Task.WhenAll(_pages.Select(async p =>
        {
            try
            {
                var handle = await p.Page.WaitForFunctionAsync("m => window.__kpSeen && window.__kpSeen[m]", marker,
                    new PageWaitForFunctionOptions { PollingInterval = 50, Timeout = (float)patience.TotalMilliseconds });
                var stamp = await handle.JsonValueAsync<double>();
                await handle.DisposeAsync();
                return (double?)(stamp - p.ClockOffsetMs - postedAtMs);
            }
            catch (TimeoutException)
            {
                return null;
            }
        }));
    }

    /// <summary>Closes every tab as a user does (the page unloads, so the circuit ends at once), then the contexts.</summary>
    public async Task CloseAllAsync()
    {
        await Task.WhenAll(_pages.Select(p => p.Page.CloseAsync(new PageCloseOptions { RunBeforeUnload = true })));
        foreach (var context in _contexts)
            await context.CloseAsync();
        _pages.Clear();
        _contexts.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}

public sealed record AgentPage(IPage Page, double ClockOffsetMs);
