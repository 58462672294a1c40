using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Instagram;

/// <summary>DMs through the Graph as the workspace's connected account; an invalid token disconnects the account.</summary>
public sealed class InstagramMessenger(IKelolaDbFactory dbFactory, IInstagramGraph graph, InstagramAccountService accounts, InstagramMediaLinks links)
    : IInstagramMessenger
{
    public Task<string> SendDirectAsync(Guid tenantId, Guid workspaceId, string recipientId, string text, CancellationToken ct = default) =>
        AsAccountAsync(tenantId, workspaceId, ct, (token, account) => graph.SendDirectMessageAsync(token, account.InstagramUserId, recipientId, text, ct));

    public Task<string> SendDirectAttachmentAsync(Guid tenantId, Guid workspaceId, string recipientId, InstagramAttachmentType type, Guid attachmentId,
        string fileName, string? caption, CancellationToken ct = default) =>
        AsAccountAsync(tenantId, workspaceId, ct, async (token, account) =>
        {
            // The caption first: if it is refused nothing went out, so a failed message means the customer got neither.
            if (!string.IsNullOrWhiteSpace(caption))
                await graph.SendDirectMessageAsync(token, account.InstagramUserId, recipientId, caption, ct);
            return await graph.SendDirectAttachmentAsync(token, account.InstagramUserId, recipientId, type, links.UrlFor(tenantId, attachmentId, fileName), ct);
        });

    private async Task<string> AsAccountAsync(Guid tenantId, Guid workspaceId, CancellationToken ct, Func<string, InstagramAccount, Task<string>> send)
    {
        InstagramAccount? account;
        await using (var db = dbFactory.CreateForTenant(tenantId))
            account = await db.InstagramAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.WorkspaceId == workspaceId, ct);
        if (account is null || accounts.ReadToken(account) is not { } token)
            throw new InvalidOperationException("The workspace has no connected Instagram account.");
        try
        {
            return await send(token, account);
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
