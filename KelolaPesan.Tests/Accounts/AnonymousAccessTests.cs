using System.Net;
using KelolaPesan.Tests.Infrastructure;

namespace KelolaPesan.Tests.Accounts;

// Plain HTTP, no browser; in the browser collection only to share its app host.
[Collection(BrowserCollection.Name)]
public sealed class AnonymousAccessTests(KelolaAppFactory app)
{
    [Fact]
    public async Task Health_Answers200()
    {
        using var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };

        using var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Home_RedirectsAnAnonymousUserToTheSignInPage()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };

        using var response = await client.GetAsync("/");

        Assert.InRange((int)response.StatusCode, 300, 399);
        var location = new Uri(client.BaseAddress!, response.Headers.Location!);
        Assert.Equal("/account/login", location.AbsolutePath, StringComparer.OrdinalIgnoreCase);
    }
}
