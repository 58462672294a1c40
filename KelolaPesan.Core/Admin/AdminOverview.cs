using KelolaPesan.Core.Common;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Admin;

/// <summary>Platform-wide figures for the admin home; admin callers only (a system context).</summary>
public sealed class AdminOverview(IKelolaDbFactory dbFactory)
{
    public async Task<PlatformCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        return new PlatformCounts(
            await db.Tenants.CountAsync(t => !t.IsPlatform, cancellationToken),
            await db.Licences.CountAsync(cancellationToken),
            await db.Workspaces.CountAsync(cancellationToken),
            await db.Workspaces.CountAsync(w => w.ConnectionStatus == ConnectionStatus.Connected, cancellationToken),
            await db.AdminUsers.CountAsync(cancellationToken));
    }
}

public sealed record PlatformCounts(int Tenants, int Licences, int Workspaces, int ConnectedWorkspaces, int Admins);
