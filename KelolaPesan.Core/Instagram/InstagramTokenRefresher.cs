using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Instagram;

/// <summary>
/// Keeps long-lived tokens alive: Graph refreshes a token only once it is 24 h old and before it expires, so a token
/// with under <see cref="RefreshWindow"/> left is refreshed. An expired or refused (190) token marks the account.
/// </summary>
public sealed class InstagramTokenRefresher(IKelolaDbFactory dbFactory, IInstagramGraph graph, InstagramAccountService accounts,
    Security.ISecretProtector secrets, TimeProvider clock, ILogger<InstagramTokenRefresher> logger)
{
    public static readonly TimeSpan RefreshWindow = TimeSpan.FromDays(10);
    public static readonly TimeSpan MinimumAge = TimeSpan.FromHours(24);

    public sealed record Outcome(int Refreshed, int Expired, int Failed);

    public async Task<Outcome> RefreshDueAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var dueBefore = now + RefreshWindow;
        var refreshedBefore = now - MinimumAge;
        List<InstagramAccount> due;
        await using (var db = dbFactory.CreateSystem())
        {
            due = await db.InstagramAccounts.AsNoTracking()
                .Where(a => a.Status == InstagramConnectionStatus.Connected && a.TokenExpiresAt != null && a.TokenExpiresAt < dueBefore
                    && (a.TokenRefreshedAt == null || a.TokenRefreshedAt <= refreshedBefore))
                .ToListAsync(ct);
        }

        int refreshed = 0, expired = 0, failed = 0;
        foreach (var account in due)
        {
            var token = accounts.ReadToken(account);
            if (account.TokenExpiresAt <= now || token is null)
            {
                await accounts.MarkTokenInvalidAsync(account.Id, token is null ? "token unreadable" : "token expired", ct);
                expired++;
                continue;
            }
            try
            {
                var renewed = await graph.RefreshAsync(token, ct);
                await using var db = dbFactory.CreateSystem();
                await db.InstagramAccounts.Where(a => a.Id == account.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(a => a.AccessTokenEncrypted, secrets.Protect(InstagramAccountService.TokenPurpose, renewed.AccessToken))
                    .SetProperty(a => a.TokenExpiresAt, now + renewed.ExpiresIn)
                    .SetProperty(a => a.TokenRefreshedAt, now), ct);
                refreshed++;
            }
            catch (InstagramGraphException ex) when (ex.Kind == InstagramGraphErrorKind.TokenInvalid)
            {
                await accounts.MarkTokenInvalidAsync(account.Id, ex.GraphMessage, ct);
                expired++;
            }
            catch (InstagramGraphException ex)
            {
                // Throttled or transient: the next run tries again, well before expiry.
                logger.LogWarning(ex, "Instagram token refresh failed for account {AccountId}", account.Id);
                failed++;
            }
        }
        return new Outcome(refreshed, expired, failed);
    }
}
