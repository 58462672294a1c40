using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Instagram;

/// <summary>DMs through the Graph as the workspace's connected account; an invalid token disconnects the account.</summary>
public sealed class InstagramMessenger(IKelolaDbFactory dbFactory, IInstagramGraph graph, InstagramAccountService accounts) : IInstagramMessenger
{
    public async Task<string> SendDirectAsync(Guid tenantId, Guid workspaceId, string recipientId, string text, CancellationToken ct = default)
    {
        InstagramAccount? account;
        await using (var db = dbFactory.CreateForTenant(tenantId))
            account = await db.InstagramAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.WorkspaceId == workspaceId, ct);
        if (account is null || accounts.ReadToken(account) is not { } token)
            throw new InvalidOperationException("The workspace has no connected Instagram account.");
        try
        {
            return await graph.SendDirectMessageAsync(token, account.InstagramUserId, recipientId, text, ct);
        }
        catch (InstagramGraphException ex) when (ex.Kind == InstagramGraphErrorKind.TokenInvalid)
        {
            await accounts.MarkTokenInvalidAsync(account.Id, ex.GraphMessage, CancellationToken.None);
            throw new InvalidOperationException("The Instagram connection expired or was revoked: reconnect the account.", ex);
        }
        catch (InstagramGraphException ex) when (ex.Kind == InstagramGraphErrorKind.OutsideWindow)
        {
            throw new InstagramWindowClosedException();
        }
    }
}
