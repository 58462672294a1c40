using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Admin;

/// <summary>
/// The admin WhatsApp connection: one workspace of the platform tenant (<see cref="Tenant.IsPlatform"/>), created on demand.
/// Notifications to tenant owners go out through its session. Pairing it uses the workspaces feature's connect flow.
/// </summary>
public sealed class AdminConnection(IKelolaDbFactory dbFactory, AuditLog audit)
{
    public const string PlatformName = "Kelola Pesan (platform)";
    public const string WorkspaceName = "Admin";

    public async Task<AdminConnectionInfo?> GetAsync(CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        return await FindAsync(db, cancellationToken);
    }

    /// <summary>Creates the platform tenant and its workspace when missing and stores it as the admin connection.</summary>
    public async Task<AdminConnectionInfo> EnsureAsync(AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        if (await FindAsync(db, cancellationToken) is { } existing)
            return existing;

        var settings = await db.PlatformSettings.FirstOrDefaultAsync(cancellationToken);
        if (settings is null)
            db.PlatformSettings.Add(settings = new PlatformSettings());

        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.IsPlatform, cancellationToken);
        if (tenant is null)
        {
            // The platform tenant has a licence because every tenant has one; nobody holds its code and it has no users.
            var code = LicenceCode.Generate();
            var licence = new Licence { Kind = LicenceKind.Tenant, Name = PlatformName, CodePrefix = code.Prefix, CodeHash = code.Hash, Tier = PolicyTier.Premium, MaxWorkspaces = 1 };
            tenant = new Tenant { Name = PlatformName, LicenceId = licence.Id, IsPlatform = true };
            db.Licences.Add(licence);
            db.Tenants.Add(tenant);
        }
        var workspace = await db.Workspaces.FirstOrDefaultAsync(w => w.TenantId == tenant.Id, cancellationToken);
        if (workspace is null)
        {
            workspace = new Workspace { TenantId = tenant.Id, Name = WorkspaceName, ExternalSessionId = $"kp-{tenant.Id:N}-admin" };
            db.Workspaces.Add(workspace);
        }
        settings.AdminWorkspaceId = workspace.Id;
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(AuditActions.AdminConnectionChanged, actor, targetType: nameof(Workspace), targetId: workspace.Id.ToString(), cancellationToken: cancellationToken);
        return (await FindAsync(db, cancellationToken))!;
    }

    internal static async Task<AdminConnectionInfo?> FindAsync(IKelolaDb db, CancellationToken ct)
    {
        var id = await db.PlatformSettings.Select(s => s.AdminWorkspaceId).FirstOrDefaultAsync(ct);
        if (id is null)
            return null;
        return await db.Workspaces.AsNoTracking().Where(w => w.Id == id)
            .Select(w => new AdminConnectionInfo(w.Id, w.TenantId, w.Name, w.ConnectionStatus, w.PhoneNumber, w.ExternalSessionId))
            .FirstOrDefaultAsync(ct);
    }
}

public sealed record AdminConnectionInfo(Guid WorkspaceId, Guid TenantId, string Name, ConnectionStatus Status, string? PhoneNumber, string? SessionName)
{
    public bool CanSend => Status == ConnectionStatus.Connected && !string.IsNullOrEmpty(SessionName);
}
