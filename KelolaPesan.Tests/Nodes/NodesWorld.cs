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
        var hmacKey = "two-nodes-" + Guid.NewGuid().ToString("N");
        var (tenant, owner, workspace) = await database.SeedAsync(db =>
        {
            var t = Seed.Tenant(db, "Toko Dua Node", Seed.WithCode(code, l =>
                (l.Kind, l.MaxWorkspaces, l.Features) = (LicenceKind.Tenant, 3, LicenceFeatures.All)));
            var o = t.User(OwnerUsername, UserRole.Owner, u => (u.DisplayName, u.PasswordHash) = ("Pemilik Dua Node", PasswordHashing.Hash(Password)));
            var ws = t.Workspace("Toko Utama", configure: w =>
            {
                (w.ConnectionStatus, w.PhoneNumber) = (ConnectionStatus.Connected, "+6280000000001");
                w.WebhookSecretEncrypted = secrets.Protect(WorkspaceService.WebhookSecretPurpose, hmacKey);
                w.ExternalSessionId = WorkspaceService.SessionNameFor(w.Id);
            });
            return (t.Tenant, o, ws);
        });
        return new NodesWorld(code.Code, tenant.Id, owner.Id, workspace.Id, workspace.ExternalSessionId!, hmacKey, secrets);
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
