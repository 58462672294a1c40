using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Logging;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Tests.Logging;

/// <summary>Outgoing calls are logged without the customer numbers their paths carry (the app's own log file).</summary>
public sealed class HttpClientLoggingTests : IAsyncLifetime
{
    private const string Customer = "6281234567891";
    private FakeWahaServer _waha = null!;
    private KelolaAppFactory _app = null!;

    public async Task InitializeAsync()
    {
        _waha = await FakeWahaServer.StartAsync();
        _waha.AddSession("logging");
        _app = new KelolaAppFactory()
            .WithSetting("Gateway:Kind", "Waha")
            .WithSetting("Gateway:Waha:BaseUrl", _waha.BaseAddress.ToString())
            .WithSetting("Gateway:Waha:ApiKey", FakeWahaServer.DefaultApiKey)
            .WithSetting("Gateway:MonitorIntervalSeconds", "0")
            // Information, as in production: what a default HttpClient logger would write there.
            .WithSetting("Serilog:MinimumLevel:Default", "Information");
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _waha.DisposeAsync();
    }

    [Fact]
    public async Task GatewayCalls_AreLoggedWithChatIdsAndNumbersMasked()
    {
        var gateway = _app.Services.GetRequiredService<IWhatsAppGateway>();
        await gateway.MarkChatReadAsync("logging", $"{Customer}@c.us", CancellationToken.None);
        await gateway.CheckNumberAsync("logging", "+" + Customer, CancellationToken.None);
        await gateway.MarkChatReadAsync("logging", "123456789012345@lid", CancellationToken.None);

        var log = await ReadLogsAsync(text => text.Contains("/api/logging/chats/***%40lid/messages/read", StringComparison.Ordinal));
        Assert.Contains("HTTP POST", log);
        Assert.Contains("/api/logging/chats/***%40c.us/messages/read", log);
        Assert.Contains("/api/contacts/check-exists?…", log);
        Assert.DoesNotContain(Customer, log);
        Assert.DoesNotContain("123456789012345", log);
        Assert.DoesNotContain("81234567891", log);
    }

    [Fact]
    public async Task AHostStartedAndStoppedBesideThisOne_DoesNotTakeItsLogLines()
    {
        // With Serilog's static logger, a category's logger made after another host started wrote to that host's
        // sinks, and after it stopped to none: lines of a test app (CI once lost every gateway line) went missing.
        await using (var other = new KelolaAppFactory())
            await other.StartAsync();
        var marker = "beside-" + Guid.NewGuid().ToString("N");

        _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("KelolaPesan.Tests.Beside").LogWarning("{Marker}", marker);

        Assert.Contains(marker, await ReadLogsAsync(text => text.Contains(marker, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ACallIntoABrowserThatHasGone_IsNotLoggedAsAnError_OtherErrorsAre()
    {
        // MudBlazor's chart calls JavaScript while a page is left at once: the tab is gone, nothing is wrong.
        var (gone, real) = ("gone-" + Guid.NewGuid().ToString("N"), "real-" + Guid.NewGuid().ToString("N"));
        var logger = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("KelolaPesan.Tests.Browser");

        logger.LogError(new Microsoft.JSInterop.JSDisconnectedException("JavaScript interop calls cannot be issued at this time."), "{Marker}", gone);
        logger.LogError(new InvalidOperationException("broken"), "{Marker}", real);

        var log = await ReadLogsAsync(text => text.Contains(real, StringComparison.Ordinal));
        Assert.DoesNotContain(gone, log);
    }

    [Theory]
    [InlineData("http://waha:3000/api/s/chats/6281234567891%40c.us/messages?limit=5", "/api/s/chats/***%40c.us/messages?…")]
    [InlineData("https://graph.instagram.com/v25.0/17841400000000/messages", "/v25.0/***/messages")]
    [InlineData("http://waha:3000/api/sessions/toko-1", "/api/sessions/toko-1")]
    public void Redact_MasksDigitRuns_AndDropsTheQuery(string url, string expected) =>
        Assert.Equal(expected, RedactingHttpClientLogger.Redact(new Uri(url)));

    /// <summary>The app's rolling log files, read (shared) until <paramref name="done"/> holds: the marker of the last call.</summary>
    private async Task<string> ReadLogsAsync(Func<string, bool> done)
    {
        var folder = Path.Combine(_app.DataDirectory, "logs");
        var text = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            text = "";
            foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder) : [])
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                text += await new StreamReader(stream).ReadToEndAsync();
            }
            if (done(text))
                return text;
        }
        Assert.Fail($"The log never showed the last call. Log:\n{text}");
        return text;
    }
}
