using System.Net;
using KelolaPesan.Tests.Infrastructure;

namespace KelolaPesan.Tests.Privacy;

// Plain HTTP against the real app, no browser; in the browser collection only to share its app host.
[Collection(BrowserCollection.Name)]
public sealed class PublicPagesTests(KelolaAppFactory app)
{
    private HttpClient Client(string? culture = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        if (culture is not null)
            client.DefaultRequestHeaders.Add("Cookie", $".AspNetCore.Culture=c%3D{culture}%7Cuic%3D{culture}");
        return client;
    }

    [Theory]
    [InlineData("/privacy", null, "Informasi yang Kami Kumpulkan")]
    [InlineData("/privacy", "en", "Information We Collect")]
    [InlineData("/terms", null, "Ketentuan Penggunaan")]
    [InlineData("/terms", "en", "Terms of Use")]
    [InlineData("/data-deletion", null, "kode konfirmasi")]
    [InlineData("/data-deletion", "en", "confirmation code")]
    public async Task TheLegalPages_OpenWithoutSignIn_InBothLanguages(string path, string? culture, string text)
    {
        using var client = Client(culture);
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(text, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheStatusLookup_ForAnUnknownCode_SaysSoAndShowsNothingElse()
    {
        using var client = Client();
        var html = await client.GetStringAsync("/data-deletion?code=DEL-NOTAREALCODE1");
        Assert.Contains("data-testid=\"deletion-not-found\"", html);
        Assert.DoesNotContain("data-testid=\"deletion-status\"", html);
    }

    [Fact]
    public async Task TheSignInPage_LinksTheLegalPages_AndTheExportDownloadNeedsSignIn()
    {
        using var client = Client();
        var login = await client.GetStringAsync("/account/login");
        foreach (var href in new[] { "href=\"/privacy\"", "href=\"/terms\"", "href=\"/data-deletion\"" })
            Assert.Contains(href, login);
        using var download = await client.GetAsync($"/settings/privacy/exports/{Guid.NewGuid()}/download");
        Assert.NotEqual(HttpStatusCode.OK, download.StatusCode);
    }
}
