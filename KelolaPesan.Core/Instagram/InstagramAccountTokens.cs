using KelolaPesan.Core.Common;
using KelolaPesan.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Instagram;

/// <summary>The decrypted token of a connected account, and the one place that marks an account disconnected on error 190.</summary>
public sealed class InstagramAccountTokens(IKelolaDbFactory dbFactory, ISecretProtector secrets, TimeProvider clock)
{
    public string? Read(InstagramAccount account) =>
        account.AccessTokenEncrypted is { Length: > 0 } encrypted ? secrets.Unprotect(TokenPurpose, encrypted) : null;

    public async Task MarkDisconnectedAsync(Guid tenantId, Guid accountId, string reason, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateForTenant(tenantId);
        await db.InstagramAccounts.Where(a => a.Id == accountId && a.Status == InstagramConnectionStatus.Connected).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.Status, InstagramConnectionStatus.TokenExpired)
            .SetProperty(a => a.StatusReason, reason.Length > 1000 ? reason[..1000] : reason)
            .SetProperty(a => a.UpdatedAt, clock.GetUtcNow()), ct);
    }

    // The purpose part A encrypts with (InstagramAccountService.TokenPurpose once merged).
    public const string TokenPurpose = "KelolaPesan.Instagram.Token";
}
