using System.Net;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Accounts;

/// <summary>Accounts of their own for the access tests (the demo ones are shared by other tests), and the copied-cookie client.</summary>
public static class AccessSeed
{
    /// <summary>Long and uncommon, so it passes any password policy.</summary>
    public const string Password = "Sandi-Uji-Akses-2026";

    public sealed record TenantAccount(string LicenceCode, Guid LicenceId, Guid TenantId, Guid UserId, string Username);

    /// <summary>A new agent of the demo tenant, member of one demo workspace.</summary>
    public static async Task<TenantAccount> AddDemoAgentAsync(KelolaAppFactory app, string workspaceName = "Toko Utama")
    {
        await using var db = System(app);
        var workspace = await db.Workspaces.FirstAsync(w => w.Name == workspaceName);
        var licenceId = await db.Tenants.Where(t => t.Id == workspace.TenantId).Select(t => t.LicenceId).SingleAsync();
        var agent = Seed.In(db, workspace.TenantId).User("agen-" + Guid.NewGuid().ToString("N")[..8], UserRole.Agent,
            u => (u.DisplayName, u.PasswordHash) = ("Agen Uji", PasswordHashing.Hash(Password)), workspace);
        await db.SaveChangesAsync();
        return new TenantAccount(DemoAccounts.LicenceCode, licenceId, workspace.TenantId, agent.Id, agent.Username);
    }

    /// <summary>A licence and tenant of their own with an owner, and <paramref name="agents"/> more users named agen01, agen02, ...</summary>
    public static async Task<TenantAccount> AddTenantAsync(KelolaAppFactory app, int agents = 0)
    {
        var code = LicenceCode.Generate();
        var hash = PasswordHashing.Hash(Password);
        await using var db = System(app);
        var tenant = Seed.Tenant(db, "Toko Uji", Seed.WithCode(code, l => l.MaxWorkspaces = 2));
        var owner = tenant.User("pemilik", UserRole.Owner, u => (u.DisplayName, u.PasswordHash) = ("Pemilik Uji", hash));
        for (var i = 1; i <= agents; i++)
            tenant.User($"agen{i:00}", UserRole.Agent, u => (u.DisplayName, u.PasswordHash) = ($"Agen {i}", hash));
        await db.SaveChangesAsync();
        return new TenantAccount(code.Code, tenant.Licence.Id, tenant.Id, owner.Id, owner.Username);
    }

    public static IKelolaDb System(KelolaAppFactory app) =>
        app.Services.GetRequiredService<IServiceScopeFactory>().CreateScope().ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();

    /// <summary>The browser's auth cookie as a <c>Cookie</c> header, to replay it from another client.</summary>
    public static async Task<string> CopyAuthCookieAsync(IBrowserContext context)
    {
        var cookies = (await context.CookiesAsync()).Where(c => c.Name.StartsWith("kp.auth", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(cookies);
        return string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}"));
    }

    /// <summary>GETs <paramref name="path"/> with a copied cookie and nothing else, redirects not followed.</summary>
    public static async Task<HttpResponseMessage> ReplayAsync(KelolaAppFactory app, string cookieHeader, string path)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(app.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookieHeader);
        return await client.SendAsync(request);
    }

    /// <param name="login">The sign-in page expected: the tenants' (<c>/account/login</c>) or the console's (<c>/admin/login</c>).</param>
    public static void AssertSentToSignIn(HttpResponseMessage response, string login = "/account/login")
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(login, response.Headers.Location?.ToString());
    }
}
