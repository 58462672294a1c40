using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Infrastructure;

/// <summary>
/// The one way tests make tenant rows: licence -> tenant (time zone, region, settings) -> users with roles ->
/// workspaces (gateway session, status) -> contacts and chats, added to a context of whichever provider the test runs on
/// (a <see cref="TestDatabase"/>'s or a running app's). Rows are only added; the caller saves, so one test's rows go in
/// one <c>SaveChanges</c>. Every licence gets a unique code prefix.
/// </summary>
/// <example><code>
/// var shop = await database.SeedAsync(db =>
/// {
///     var tenant = Seed.Tenant(db, "Toko", licence: l => l.MaxWorkspaces = 3);
///     var ws = tenant.Workspace("Toko Utama", Seed.NewSession());
///     tenant.User("agen", UserRole.Agent, ws);
///     return ws;
/// });
/// </code></example>
public static class Seed
{
    /// <summary>A licence (unique prefix, all features off unless <paramref name="licence"/> says so) and its tenant.</summary>
    public static TenantSeed Tenant(IKelolaDb db, string name = "Test", Action<Licence>? licence = null, Action<Tenant>? tenant = null)
    {
        var licenceRow = new Licence { Name = name, CodePrefix = "T" + Guid.NewGuid().ToString("N")[..10], CodeHash = [1] };
        licence?.Invoke(licenceRow);
        var tenantRow = new Tenant { Name = name, LicenceId = licenceRow.Id };
        tenant?.Invoke(tenantRow);
        db.Licences.Add(licenceRow);
        db.Tenants.Add(tenantRow);
        return new TenantSeed(db, tenantRow.Id, licenceRow, tenantRow);
    }

    /// <summary>More rows for a tenant that is already stored.</summary>
    public static TenantSeed In(IKelolaDb db, Guid tenantId) => new(db, tenantId);

    /// <summary>Sets the status of the tenant's licence (suspended, active) as the platform admin's action stores it.</summary>
    public static Task SetLicenceStatusAsync(IKelolaDb db, Guid tenantId, LicenceStatus status) =>
        db.Licences.Where(l => db.Tenants.Any(t => t.Id == tenantId && t.LicenceId == l.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Status, status));

    /// <summary>A gateway session name no other test uses.</summary>
    public static string NewSession() => "kp-test-" + Guid.NewGuid().ToString("N");

    /// <summary>A licence that signs in with a real code (<see cref="LicenceCode.Generate"/>).</summary>
    public static Action<Licence> WithCode(LicenceCode code, Action<Licence>? more = null) => l =>
    {
        (l.CodePrefix, l.CodeHash) = (code.Prefix, code.Hash);
        more?.Invoke(l);
    };

    /// <summary>Adds what <paramref name="build"/> makes in one system context and saves it.</summary>
    public static async Task<T> SeedAsync<T>(this TestDatabase database, Func<IKelolaDb, T> build)
    {
        await using var db = database.CreateSystem();
        var result = build(db);
        await db.SaveChangesAsync();
        return result;
    }

    public static Task SeedAsync(this TestDatabase database, Action<IKelolaDb> build) => database.SeedAsync(db => { build(db); return 0; });
}

/// <summary>A seeded tenant: adds its users, workspaces, contacts and chats to the same context.</summary>
public sealed class TenantSeed(IKelolaDb db, Guid id, Licence? licence = null, Tenant? tenant = null)
{
    public Guid Id { get; } = id;
    public Licence Licence => licence ?? throw new InvalidOperationException("The licence was not seeded here.");
    public Tenant Tenant => tenant ?? throw new InvalidOperationException("The tenant was not seeded here.");

    /// <summary>A workspace, with the gateway session <paramref name="session"/> (<see cref="Seed.NewSession"/> for a fresh one).</summary>
    public Workspace Workspace(string name = "Toko", string? session = null, Action<Workspace>? configure = null)
    {
        var workspace = new Workspace { TenantId = Id, Name = name, ExternalSessionId = session };
        configure?.Invoke(workspace);
        db.Workspaces.Add(workspace);
        return workspace;
    }

    /// <summary>A user (display name = username unless configured), member of <paramref name="memberOf"/>.</summary>
    public AppUser User(string username, UserRole role, params Workspace[] memberOf) => User(username, role, null, memberOf);

    public AppUser User(string username, UserRole role, Action<AppUser>? configure, params Workspace[] memberOf)
    {
        var user = new AppUser { TenantId = Id, Username = username, DisplayName = username, Role = role };
        configure?.Invoke(user);
        db.Users.Add(user);
        foreach (var workspace in memberOf)
            db.WorkspaceMembers.Add(new WorkspaceMember { TenantId = Id, WorkspaceId = workspace.Id, UserId = user.Id });
        return user;
    }

    public Contact Contact(Guid workspaceId, string phone, string name, Action<Contact>? configure = null)
    {
        var contact = new Contact { TenantId = Id, WorkspaceId = workspaceId, Phone = phone, Name = name };
        configure?.Invoke(contact);
        db.Contacts.Add(contact);
        return contact;
    }

    /// <summary>A WhatsApp chat with <paramref name="phone"/> (E.164), or an Instagram-like one when it is null.</summary>
    public Chat Chat(Guid workspaceId, string name, string? phone, Action<Chat>? configure = null)
    {
        var chat = new Chat
        {
            TenantId = Id, WorkspaceId = workspaceId, DisplayName = name, PhoneNumber = phone, LastMessagePreview = "",
            ExternalChatId = phone is null ? "ig" + Guid.NewGuid().ToString("N") : phone.TrimStart('+') + "@c.us",
        };
        configure?.Invoke(chat);
        db.Chats.Add(chat);
        return chat;
    }
}
