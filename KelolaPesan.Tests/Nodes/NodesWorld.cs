using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.ExternalApi;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using KelolaPesan.Data.Security;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Nodes;

/// <summary>
/// What the two nodes find in their database when they start: a tenant with an owner who can sign in and one connected
/// WhatsApp workspace whose webhook key the test knows. Secrets are encrypted with the app's own Data Protection key
/// ring in the database (created here, before the nodes start, so both nodes read the one key).
/// </summary>
public sealed record NodesWorld(string LicenceCode, Guid TenantId, Guid OwnerId, Guid WorkspaceId, string Session, string HmacKey, ISecretProtector Secrets)
{
    public const string OwnerUsername = "pemilik";

    /// <summary>Long and uncommon, so it passes the password policy.</summary>
    public const string Password = "Sandi-Dua-Node-2026";

    public Uri WebhookUrl(Node node) => new($"{node.BaseUrl}/webhooks/whatsapp?workspace={WorkspaceId}");

    public static async Task<NodesWorld> SeedAsync(TestDatabase database)
    {
        var secrets = Protector(database);
        var code = KelolaPesan.Core.Tenancy.LicenceCode.Generate();
        var licence = new Licence
        {
            Kind = LicenceKind.Tenant, Name = "Toko Dua Node", CodePrefix = code.Prefix, CodeHash = code.Hash, MaxWorkspaces = 3, Features = LicenceFeatures.All,
        };
        var tenant = new Tenant { Name = "Toko Dua Node", LicenceId = licence.Id };
        var owner = new AppUser
        {
            TenantId = tenant.Id, Username = OwnerUsername, DisplayName = "Pemilik Dua Node", Role = UserRole.Owner, PasswordHash = PasswordHashing.Hash(Password),
        };
        var hmacKey = "two-nodes-" + Guid.NewGuid().ToString("N");
        var workspace = new Workspace
        {
            TenantId = tenant.Id, Name = "Toko Utama", ConnectionStatus = ConnectionStatus.Connected, PhoneNumber = "+6280000000001",
            WebhookSecretEncrypted = secrets.Protect(WorkspaceService.WebhookSecretPurpose, hmacKey),
        };
        workspace.ExternalSessionId = WorkspaceService.SessionNameFor(workspace.Id);
        await using (var db = database.CreateSystem())
        {
            db.Licences.Add(licence);
            db.Tenants.Add(tenant);
            db.Users.Add(owner);
            db.Workspaces.Add(workspace);
            await db.SaveChangesAsync();
        }
        return new NodesWorld(code.Code, tenant.Id, owner.Id, workspace.Id, workspace.ExternalSessionId, hmacKey, secrets);
    }

    /// <summary>The tenant's outgoing webhook to <paramref name="url"/>; its signing secret.</summary>
    public async Task<string> SubscribeAsync(TestDatabase database, string url, params string[] events)
    {
        var secret = "whsec_" + Guid.NewGuid().ToString("N");
        await using var db = database.CreateSystem();
        db.WebhookSubscriptions.Add(new WebhookSubscription
        {
            TenantId = TenantId, Url = url, Events = string.Join(',', events),
            SecretEncrypted = Secrets.Protect(WebhookSubscriptionService.SecretPurpose, secret),
        });
        await db.SaveChangesAsync();
        return secret;
    }

    /// <summary>The app's Data Protection set-up (application name, keys in the database) over the test's database.</summary>
    private static ISecretProtector Protector(TestDatabase database)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddScoped<KelolaDbContext>(_ => database.CreateSystem());
        services.AddDataProtection().SetApplicationName("KelolaPesan").PersistKeysToDbContext<KelolaDbContext>();
        var provider = services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>();
        return new DataProtectionSecretProtector(provider);
    }
}
