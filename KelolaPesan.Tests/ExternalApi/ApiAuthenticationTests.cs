using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KelolaPesan.Core.ExternalApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.ExternalApi;

[Collection(ExternalApiCollection.Name)]
public sealed class ApiAuthenticationTests(ExternalApiHost host)
{
    [Theory]
    [InlineData(null, "required", "Api_KeyRequired")]
    [InlineData("Basic dXNlcjpwYXNz", "malformed", "Api_AuthorizationMalformed")]
    [InlineData("Bearer not-a-key", "malformed", "Api_KeyMalformed")]
    [InlineData("Bearer kp_zzzzzzzz_abcdefghijklmnopqrstuvwxyz012345", "not known", "Api_KeyUnknown")]
    public async Task AMissingMalformedOrUnknownKey_Answers401ProblemDetails(string? authorization, string reason, string code)
    {
        using var client = host.Client(null);
        if (authorization is not null)
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        using var response = await client.GetAsync("/api/v1/workspaces");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Contains(reason, problem.GetProperty("detail").GetString());
        Assert.Equal(code, problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task AKey_WorksOnlyWhileTheMemberWhoMadeItManagesTheAccount()
    {
        var maker = new Core.Accounts.AppUser
        {
            TenantId = host.TenantId, Username = "kunci" + Guid.NewGuid().ToString("N")[..6], DisplayName = "Kunci", Role = Core.Accounts.UserRole.Manager,
            PasswordHash = Core.Accounts.PasswordHashing.Hash("Sandi-Kunci-2026"),
        };
        await using (var db = host.System())
        {
            db.Users.Add(maker);
            await db.SaveChangesAsync();
        }
        var made = await host.AsTenantAsync(host.TenantId, sp => sp.GetRequiredService<ApiKeyService>()
            .CreateAsync("integrasi", null, new Core.Audit.AuditActor(Core.Audit.AuditActorType.User, maker.Id, maker.DisplayName)));
        using var client = host.Client(made.FullKey);
        async Task<HttpStatusCode> StatusAsync()
        {
            using var response = await client.GetAsync("/api/v1/workspaces");
            return response.StatusCode;
        }
        async Task SetAsync(Action<Core.Accounts.AppUser> change)
        {
            await using var db = host.System();
            var user = await db.Users.FirstAsync(u => u.Id == maker.Id);
            change(user);
            await db.SaveChangesAsync();
        }
        async Task<bool> ListedAsGoneAsync() =>
            (await host.AsTenantAsync(host.TenantId, sp => sp.GetRequiredService<ApiKeyService>().ListAsync())).Single(k => k.Id == made.Id).MakerGone;

        Assert.Equal((HttpStatusCode.OK, false), (await StatusAsync(), await ListedAsGoneAsync()));

        await SetAsync(u => u.Role = Core.Accounts.UserRole.Agent);
        using (var refused = await client.GetAsync("/api/v1/workspaces"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("no longer manages", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        }
        Assert.True(await ListedAsGoneAsync());

        await SetAsync(u => (u.Role, u.IsActive) = (Core.Accounts.UserRole.Manager, false));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync());
        await SetAsync(u => u.IsActive = true);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync());

        await using (var db = host.System())
            await db.Users.Where(u => u.Id == maker.Id).ExecuteDeleteAsync();
        Assert.Equal((HttpStatusCode.Unauthorized, true), (await StatusAsync(), await ListedAsGoneAsync()));
    }

    [Fact]
    public async Task ARightSecretWithAnotherKeysPrefix_IsRefused()
    {
        var (_, key) = await host.CreateKeyAsync();
        var (_, other) = await host.CreateKeyAsync();
        var forged = $"kp_{ApiKeyService.Parse(other)!.Value.Prefix}_{ApiKeyService.Parse(key)!.Value.Secret}";
        using var response = await host.Client(forged).GetAsync("/api/v1/workspaces");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ARevokedKey_Answers401_AndAnActiveOneWorks()
    {
        var (id, key) = await host.CreateKeyAsync();
        using var client = host.Client(key);
        using (var ok = await client.GetAsync("/api/v1/workspaces"))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        Assert.True(await host.AsTenantAsync(host.TenantId, sp => sp.GetRequiredService<ApiKeyService>().RevokeAsync(id, Core.Audit.AuditActor.System)));
        using var refused = await client.GetAsync("/api/v1/workspaces");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("revoked", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnotherTenantsIds_Answer404()
    {
        var other = await host.CreateOtherTenantAsync();
        var (_, key) = await host.CreateKeyAsync();
        using var client = host.Client(key);

        var workspaces = await client.GetFromJsonAsync<JsonElement>("/api/v1/workspaces");
        Assert.DoesNotContain(workspaces.EnumerateArray(), w => w.GetProperty("id").GetGuid() == other.WorkspaceId);
        await AssertNotFoundAsync(client.GetAsync($"/api/v1/workspaces/{other.WorkspaceId}/contacts"));
        await AssertNotFoundAsync(client.GetAsync($"/api/v1/workspaces/{host.ShopId}/contacts/{other.ContactId}"));
        await AssertNotFoundAsync(client.DeleteAsync($"/api/v1/workspaces/{host.ShopId}/contacts/{other.ContactId}"));
        await AssertNotFoundAsync(client.GetAsync($"/api/v1/messages/{other.MessageId}"));
        await AssertNotFoundAsync(client.PostAsJsonAsync("/api/v1/messages", new { workspaceId = other.WorkspaceId, to = "081234567891", text = "hi" }));

        // The other tenant's contact is untouched.
        await using var db = host.System();
        Assert.Null((await db.Contacts.FindAsync(other.ContactId))!.DeletedAt);
    }

    [Fact]
    public async Task AWorkspaceScopedKey_SeesOnlyItsWorkspace()
    {
        var (_, key) = await host.CreateKeyAsync(host.ShopId);
        using var client = host.Client(key);

        var workspaces = await client.GetFromJsonAsync<JsonElement>("/api/v1/workspaces");
        Assert.Equal([host.ShopId], workspaces.EnumerateArray().Select(w => w.GetProperty("id").GetGuid()));
        using (var own = await client.GetAsync($"/api/v1/workspaces/{host.ShopId}/contacts"))
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        await AssertNotFoundAsync(client.GetAsync($"/api/v1/workspaces/{host.CareId}/contacts"));
        await AssertNotFoundAsync(client.PostAsJsonAsync("/api/v1/messages", new { workspaceId = host.CareId, to = "081234567891", text = "hi" }));
        await AssertNotFoundAsync(client.PostAsJsonAsync($"/api/v1/workspaces/{host.CareId}/numbers/validate", new { numbers = new[] { "081234567891" } }));
    }

    [Fact]
    public async Task ALicenceWithoutTheRestApi_Answers403()
    {
        var other = await host.CreateOtherTenantAsync(restApi: false);
        var (_, key) = await host.CreateKeyAsync(tenantId: other.TenantId);
        using var response = await host.Client(key).GetAsync("/api/v1/workspaces");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Api_NotInLicence", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task ASuspendedLicence_Answers403_SayingSo_InTheLanguageAsked()
    {
        var other = await host.CreateOtherTenantAsync();
        var (_, key) = await host.CreateKeyAsync(tenantId: other.TenantId);
        await using (var db = host.System())
            await Infrastructure.Seed.SetLicenceStatusAsync(db, other.TenantId, Core.Tenancy.LicenceStatus.Suspended);
        using var client = host.Client(key);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("id");

        using var response = await client.GetAsync("/api/v1/workspaces");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Api_LicenceNotUsable", problem.GetProperty("code").GetString());
        Assert.Equal("Lisensi akun ini ditangguhkan atau sudah berakhir.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task TheDemoKey_Works_AsTheReadmeShows()
    {
        using var response = await host.Client(Web.DemoSeeder.DemoApiKey).GetAsync("/api/v1/workspaces");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var names = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(w => w.GetProperty("name").GetString());
        Assert.Contains("Toko Utama", names);
    }

    private static async Task AssertNotFoundAsync(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("_NotFound", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }
}
