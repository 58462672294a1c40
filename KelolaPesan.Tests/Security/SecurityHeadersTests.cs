using System.Net;
using KelolaPesan.Tests.Infrastructure;

namespace KelolaPesan.Tests.Security;

/// <summary>Response headers as the app sends them in Production, and the culture switch's return address.</summary>
public sealed class SecurityHeadersTests(ProductionAppFactory app) : IClassFixture<ProductionAppFactory>
{
    private readonly HttpClient _client = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };

    [Fact]
    public async Task APage_CarriesThePolicyHeaders_AndNoServerHeader()
    {
        using var response = await _client.GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("script-src 'self';", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", csp);
        Assert.Contains("style-src 'self' 'unsafe-inline'", csp);
        Assert.Contains("connect-src 'self' ws://", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
        Assert.Contains("camera=()", Header(response, "Permissions-Policy"));
        Assert.False(response.Headers.Contains("Server"));

        // No inline script in the page itself: the policy would block it.
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(@"<script(?![^>]*\ssrc=)[^>]*>", html);
    }

    [Fact]
    public async Task MachineEndpoints_GetAPolicyThatAllowsNothing_AndNoServerHeader()
    {
        using var response = await _client.GetAsync("/health");
        Assert.Equal("default-src 'none'; frame-ancestors 'none'; sandbox", Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.False(response.Headers.Contains("Server"));
    }

    [Theory]
    [InlineData("%2F%09%2Fevil.example")]
    [InlineData("%2Finbox%0d%0aSet-Cookie:%20x=1")]
    [InlineData("%09")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("https%3A%2F%2Fevil.example")]
    public async Task TheCultureSwitch_WithAnUnsafeReturnUrl_RedirectsHome(string returnUrl)
    {
        using var response = await _client.GetAsync($"/account/culture?culture=en&returnUrl={returnUrl}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task TheCultureSwitch_WithALocalReturnUrl_GoesBackThere()
    {
        using var response = await _client.GetAsync("/account/culture?culture=en&returnUrl=%2Finbox%3Fchat%3D1");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/inbox?chat=1", response.Headers.Location?.OriginalString);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : "";
}
