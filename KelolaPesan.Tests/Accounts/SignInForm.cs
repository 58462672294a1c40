using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using KelolaPesan.Tests.Infrastructure;

namespace KelolaPesan.Tests.Accounts;

/// <summary>
/// The tenant sign-in form posted over plain HTTP, as a script would: the form's hidden fields (handler and
/// antiforgery token) are read once from a GET, then each post may say it comes through a proxy for another client.
/// </summary>
public sealed partial class SignInForm : IDisposable
{
    private readonly HttpClient _client;
    private readonly string _antiforgeryCookie;
    private readonly Dictionary<string, string> _hidden;

    private SignInForm(HttpClient client, string antiforgeryCookie, Dictionary<string, string> hidden)
    {
        _client = client;
        _antiforgeryCookie = antiforgeryCookie;
        _hidden = hidden;
    }

    public static Task<SignInForm> OpenAsync(KelolaAppFactory app) => OpenAsync(app.BaseUrl);

    /// <summary>The form of the app at <paramref name="baseUrl"/> (an app process of its own, a node of several).</summary>
    public static async Task<SignInForm> OpenAsync(string baseUrl)
    {
        // Cookies by hand: only the antiforgery cookie goes back, so every post is anonymous, and the answer's
        // Set-Cookie headers are seen exactly as the server wrote them.
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = new Uri(baseUrl),
        };
        using var page = await client.GetAsync("/account/login");
        var html = await page.Content.ReadAsStringAsync();
        var antiforgery = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var hidden = HiddenInput().Matches(html)
            .Select(m => (Name: NameAttribute().Match(m.Value).Groups[1].Value, Value: ValueAttribute().Match(m.Value).Groups[1].Value))
            .Where(f => f.Name.Length > 0)
            .ToDictionary(f => f.Name, f => WebUtility.HtmlDecode(f.Value));
        Assert.Contains("__RequestVerificationToken", hidden.Keys);
        return new SignInForm(client, antiforgery, hidden);
    }

    /// <summary>A sign-in redirects; a refusal renders the form again with its error.</summary>
    public sealed record Answer(HttpStatusCode Status, string Body, TimeSpan Elapsed, IReadOnlyList<string> SetCookies)
    {
        /// <summary>The auth cookie's Set-Cookie header, or null.</summary>
        public string? AuthCookie => SetCookies.FirstOrDefault(c => c.StartsWith("kp.auth", StringComparison.Ordinal));

        public bool SignedIn => Status == HttpStatusCode.Redirect;
        public bool Refused => Status == HttpStatusCode.OK && Body.Contains("data-testid=\"sign-in-error\"");
    }

    /// <summary>Posts the form; <paramref name="forwardedFor"/> is sent as <c>X-Forwarded-For</c>, <paramref name="forwardedProto"/> as <c>X-Forwarded-Proto</c>.</summary>
    public async Task<Answer> PostAsync(string licenceCode, string username, string password, string? forwardedFor = null, string? forwardedProto = null)
    {
        var fields = new Dictionary<string, string>(_hidden)
        {
            ["Input.LicenceCode"] = licenceCode,
            ["Input.Username"] = username,
            ["Input.Password"] = password,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Cookie", _antiforgeryCookie);
        if (forwardedFor is not null)
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (forwardedProto is not null)
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        var watch = Stopwatch.StartNew();
        using var response = await _client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        watch.Stop();
        var setCookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        return new Answer(response.StatusCode, body, watch.Elapsed, setCookies);
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*>")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("name=\"([^\"]*)\"")]
    private static partial Regex NameAttribute();

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex ValueAttribute();
}
