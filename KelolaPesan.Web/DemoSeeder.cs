using Bogus;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Web;

/// <summary>
/// Development only: a demo platform a newcomer can sign in to at once (credentials in the README).
/// Runs once per database; never outside Development, where no account has a known password.
/// </summary>
public sealed class DemoSeeder(IKelolaDbFactory dbFactory, TimeProvider clock, ILogger<DemoSeeder> logger)
{
    public const string AdminEmail = "admin@kelolapesan.local";
    public const string AdminPassword = "Admin123!demo";
    public const string TenantLicenceCode = "KPL-DEMOTOKO-7QH4X9M2KD5RVW8P";
    public const string AgencyLicenceCode = "KPL-DEMOAGEN-3MZ8Q2RJ7TK4WX6N";
    public const string OwnerUsername = "pemilik";
    public const string OwnerPassword = "Pemilik123!";
    public const string AgentPassword = "Agen123!";
    public const string ManagerUsername = "manajer";

    /// <summary>Passes the password policy (PasswordRule); the older demo passwords above predate it and keep working.</summary>
    public const string ManagerPassword = "Kelola-Tim-2026";

    /// <summary>A known REST API key of the demo tenant (Development only), used by the README's curl example.</summary>
    public const string DemoApiKey = "kp_demo0001_kelolapesandemokey2026abcdefgh";

    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        var tenantCode = LicenceCode.TryParse(TenantLicenceCode)!;
        if (await db.Licences.AnyAsync(l => l.CodePrefix == tenantCode.Prefix, cancellationToken))
            return;

        var now = clock.GetUtcNow();
        if (!await db.AdminUsers.AnyAsync(a => a.Email == AdminEmail, cancellationToken))
            db.AdminUsers.Add(new AdminUser { Email = AdminEmail, Name = "Admin Demo", PasswordHash = PasswordHashing.Hash(AdminPassword) });

        var licence = new Licence
        {
            Kind = LicenceKind.Tenant, Name = "Toko Demo", CodePrefix = tenantCode.Prefix, CodeHash = tenantCode.Hash,
            MaxWorkspaces = 3, Features = LicenceFeatures.All, Tier = PolicyTier.Basic, ExpiresAt = now.AddYears(1),
        };
        var tenant = new Tenant { Name = "Toko Demo", LicenceId = licence.Id };
        db.Licences.Add(licence);
        db.Tenants.Add(tenant);

        var owner = NewUser(tenant.Id, OwnerUsername, "Sari (Pemilik)", UserRole.Owner, OwnerPassword);
        var agent = NewUser(tenant.Id, "agen", "Budi (Agen)", UserRole.Agent, AgentPassword);
        var agent2 = NewUser(tenant.Id, "agen2", "Rina (Agen)", UserRole.Agent, AgentPassword);
        var manager = NewUser(tenant.Id, ManagerUsername, "Dimas (Manajer)", UserRole.Manager, ManagerPassword);
        db.Users.AddRange(owner, manager, agent, agent2);

        // Connected through the simulator (re-paired at every start-up), so a newcomer can chat at once.
        var shop = new Workspace
        {
            TenantId = tenant.Id, Name = "Toko Utama", Label = "Penjualan", ExternalSessionId = $"kp-{tenant.Id:N}-1",
            ConnectionStatus = ConnectionStatus.Connected, PhoneNumber = "+6281100000001", ConnectedAt = now, StatusChangedAt = now,
        };
        var care = new Workspace
        {
            TenantId = tenant.Id, Name = "Layanan Pelanggan", Label = "CS", ExternalSessionId = $"kp-{tenant.Id:N}-2",
            ConnectionStatus = ConnectionStatus.Connected, PhoneNumber = "+6281100000002", ConnectedAt = now, StatusChangedAt = now,
        };
        db.Workspaces.AddRange(shop, care);
        db.ApiKeys.Add(new KelolaPesan.Core.ExternalApi.ApiKey
        {
            TenantId = tenant.Id, Name = "Demo API", Prefix = "demo0001", Status = KelolaPesan.Core.ExternalApi.ApiKeyStatus.Active,
            SecretHash = KelolaPesan.Core.Security.SecretHash.Compute(DemoApiKey.Split('_')[2]), CreatedByUserId = owner.Id,
        });
        db.WorkspaceMembers.AddRange(
            new WorkspaceMember { TenantId = tenant.Id, WorkspaceId = shop.Id, UserId = agent.Id },
            new WorkspaceMember { TenantId = tenant.Id, WorkspaceId = shop.Id, UserId = agent2.Id },
            new WorkspaceMember { TenantId = tenant.Id, WorkspaceId = care.Id, UserId = agent.Id });

        var agencyCode = LicenceCode.TryParse(AgencyLicenceCode)!;
        var agencyLicence = new Licence
        {
            Kind = LicenceKind.Agency, Name = "Agensi Demo", CodePrefix = agencyCode.Prefix, CodeHash = agencyCode.Hash,
            MaxTenants = 5, Features = LicenceFeatures.All, ExpiresAt = now.AddYears(1),
        };
        var agency = new Agency { Name = "Agensi Demo", LicenceId = agencyLicence.Id };
        db.Licences.Add(agencyLicence);
        db.Agencies.Add(agency);
        db.Users.Add(new AppUser
        {
            AgencyId = agency.Id, Username = "agensi", DisplayName = "Agensi Demo", Role = UserRole.AgencyOwner,
            PasswordHash = PasswordHashing.Hash("Agensi123!"),
        });

        var faker = new Faker("id_ID") { Random = new Randomizer(2026) };
        SeedConversations(db, faker, shop, chats: 12, now);
        SeedConversations(db, faker, care, chats: 5, now);

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another node starting at the same time seeded it first (one transaction: its data is whole, ours is not written).
            await using var check = dbFactory.CreateSystem();
            if (!await check.Licences.AnyAsync(l => l.CodePrefix == tenantCode.Prefix, CancellationToken.None))
                throw;
            logger.LogInformation("Demo data was seeded by another node");
            return;
        }
        logger.LogInformation("Demo data seeded: sign in with licence {Code} as {Owner}", TenantLicenceCode, OwnerUsername);
    }

    private static AppUser NewUser(Guid tenantId, string username, string name, UserRole role, string password) => new()
    {
        TenantId = tenantId, Username = username, DisplayName = name, Role = role, PasswordHash = PasswordHashing.Hash(password),
    };

    private static void SeedConversations(IKelolaDb db, Faker faker, Workspace workspace, int chats, DateTimeOffset now)
    {
        string[] inbound = ["Halo kak, produk ini masih ada?", "Berapa ongkir ke Bandung?", "Bisa COD?", "Terima kasih, sudah sampai 🙏", "Ada warna lain?", "Kapan dikirim ya?"];
        string[] outbound = ["Halo kak, masih ada ya 😊", "Ongkirnya Rp15.000 kak", "Bisa kak, untuk area Jabodetabek", "Sama-sama kak!", "Ada merah dan biru kak", "Hari ini kami kirim kak"];

        for (var i = 0; i < chats; i++)
        {
            var name = faker.Name.FullName();
            var phone = "+628" + faker.Random.ReplaceNumbers("##########");
            var contact = new Contact { TenantId = workspace.TenantId, WorkspaceId = workspace.Id, Name = name, Phone = phone, Email = faker.Internet.Email(name) };
            var chat = new Chat
            {
                TenantId = workspace.TenantId, WorkspaceId = workspace.Id, ContactId = contact.Id, DisplayName = name, PhoneNumber = phone,
                ExternalChatId = phone.TrimStart('+') + "@c.us",
            };
            db.Contacts.Add(contact);

            var at = now.AddMinutes(-faker.Random.Int(30, 60 * 24 * 10));
            var count = faker.Random.Int(2, 7);
            var unread = i % 3 == 0 ? faker.Random.Int(1, 3) : 0;
            for (var m = 0; m < count; m++)
            {
                var isLastRun = m >= count - unread;
                var inboundMessage = isLastRun || m % 2 == 0;
                at = at.AddMinutes(faker.Random.Int(1, 90));
                var body = faker.PickRandom(inboundMessage ? inbound : outbound);
                db.Messages.Add(new Message
                {
                    TenantId = workspace.TenantId, WorkspaceId = workspace.Id, ChatId = chat.Id,
                    ExternalMessageId = $"demo_{Guid.NewGuid():N}",
                    Direction = inboundMessage ? MessageDirection.Inbound : MessageDirection.Outbound,
                    Origin = inboundMessage ? MessageOrigin.Customer : MessageOrigin.Agent,
                    SenderName = inboundMessage ? name : null, SenderNumber = inboundMessage ? phone : null,
                    Body = body, Status = inboundMessage ? MessageStatus.Read : MessageStatus.Read, SentAt = at,
                });
                chat.LastMessagePreview = body;
                chat.LastMessageAt = at;
                if (inboundMessage)
                    chat.LastInboundAt = at;
            }
            chat.UnreadCount = unread;
            contact.LastMessageAt = chat.LastMessageAt;
            db.Chats.Add(chat);
            workspace.UnreadMessages += unread;
            workspace.UnreadChats += unread > 0 ? 1 : 0;
        }
    }
}
