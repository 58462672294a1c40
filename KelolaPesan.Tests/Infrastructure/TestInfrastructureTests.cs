using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Infrastructure;

/// <summary>Guards what every browser test silently relies on.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TestInfrastructureTests(BrowserFixture browser, KelolaAppFactory app)
{
    [Fact]
    public void AppHost_UsesItsOwnTemporaryDataFolder_AndTheSimulatorGateway()
    {
        var config = app.Services.GetRequiredService<IConfiguration>();

        Assert.Equal(app.DataDirectory, config["Database:DataDirectory"]);
        Assert.Equal("Sqlite", config["Database:Provider"]);
        Assert.Equal("Simulator", config["Gateway:Kind"]);
        Assert.StartsWith(Path.GetTempPath(), app.DataDirectory);
        Assert.True(Directory.Exists(app.DataDirectory));
    }

    // Without the static web assets of Development the pages render but never become
    // interactive, and every circuit wait times out with no hint why.
    [Fact]
    public async Task Chromium_LoadsTheBlazorScriptFromTheAppHost()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            var response = await page.GotoAsync("/_framework/blazor.web.js");

            Assert.NotNull(response);
            Assert.Equal((int)HttpStatusCode.OK, response.Status);
            Assert.Contains("javascript", response.Headers["content-type"]);
        });
    }

    // Blazor Server's circuit runs over the /_blazor hub's WebSocket: this fails if the host
    // were an in-memory TestServer or the hub were missing, long before any page test does.
    [Fact]
    public async Task Chromium_OpensTheBlazorHubWebSocketOnTheAppHost()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl);
        await session.RunAsync(async page =>
        {
            await page.GotoAsync("/_framework/blazor.web.js");

            var outcome = await page.EvaluateAsync<string>("""
                async () => {
                  const negotiate = await fetch('/_blazor/negotiate?negotiateVersion=1', { method: 'POST' });
                  const { connectionToken } = await negotiate.json();
                  const socket = new WebSocket(location.origin.replace('http', 'ws') + '/_blazor?id=' + connectionToken);
                  return await new Promise(resolve => {
                    socket.onopen = () => { socket.close(); resolve('open'); };
                    socket.onerror = () => resolve('error');
                  });
                }
                """);

            Assert.Equal("open", outcome);
        });
    }
}
