using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace KelolaPesan.Web.Instagram;

/// <summary>Who started a connect: the OAuth <c>state</c> carries it, signed and encrypted, for <see cref="Lifetime"/>.</summary>
public sealed record InstagramConnectTicket(Guid TenantId, Guid WorkspaceId, Guid UserId);

/// <summary>
/// The OAuth <c>state</c>: a Data Protection time-limited payload (keys in the database, shared by every node),
/// so a tampered, foreign or stale state is refused before any code is exchanged.
/// </summary>
public sealed class InstagramConnectState(IDataProtectionProvider provider, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ITimeLimitedDataProtector _protector =
        provider.CreateProtector("KelolaPesan.Instagram.ConnectState").ToTimeLimitedDataProtector();

    public string Create(InstagramConnectTicket ticket) =>
        _protector.Protect($"{ticket.TenantId:N}|{ticket.WorkspaceId:N}|{ticket.UserId:N}", clock.GetUtcNow() + Lifetime);

    /// <summary>The ticket, or null when the state is missing, tampered with or expired.</summary>
    public InstagramConnectTicket? Read(string? state)
    {
        if (string.IsNullOrWhiteSpace(state) || state.Length > 2000)
            return null;
        try
        {
            var parts = _protector.Unprotect(state).Split('|');
            return parts.Length == 3 && Guid.TryParse(parts[0], out var tenant) && Guid.TryParse(parts[1], out var workspace) && Guid.TryParse(parts[2], out var user)
                ? new InstagramConnectTicket(tenant, workspace, user)
                : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
