using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Privacy;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Instagram;

public enum InstagramConnectError { None, WorkspaceNotFound, NotConfigured, ConnectedElsewhere, GraphFailed }

public sealed record InstagramConnectResult(InstagramConnectError Error, string? Username = null, string? Detail = null)
{
    public bool Succeeded => Error == InstagramConnectError.None;
}

/// <summary>What the account card shows: never the token.</summary>
public sealed record InstagramAccountView(
    Guid Id,
    Guid WorkspaceId,
    string InstagramUserId,
    string Username,
    string? DisplayName,
    string? ProfilePictureUrl,
    InstagramConnectionStatus Status,
    string? StatusReason,
    DateTimeOffset? TokenExpiresAt,
    DateTimeOffset? ConnectedAt,
    IReadOnlyList<string> Permissions,
    bool HasToken);

public static class InstagramAuditActions
{
    public const string Connected = "instagram.connected";
    public const string ConnectFailed = "instagram.connect-failed";
    public const string Disconnected = "instagram.disconnected";
    public const string Deauthorized = "instagram.deauthorized";
    public const string TokenExpired = "instagram.token-expired";
}

/// <summary>
/// Connect (OAuth code -> long-lived token -> profile -> subscribe), disconnect, Meta's deauthorize, and the one place that
/// marks an account whose token Graph refused. The token is stored only through <see cref="ISecretProtector"/>.
/// Workspace-facing methods run in the current tenant, so another tenant's workspace is simply not found.
/// </summary>
public sealed class InstagramAccountService(IKelolaDbFactory dbFactory, IInstagramGraph graph, ISecretProtector secrets, DataEraser eraser,
    AuditLog audit, PlatformNotifier notifier, Microsoft.Extensions.Options.IOptions<InstagramOptions> options, TimeProvider clock,
    CommentReplyQueueSignal replySignal, IRealtimeBus bus, ILogger<InstagramAccountService> logger)
{
    /// <summary>The Data Protection purpose of the access token (also what part B reads it with).</summary>
    public const string TokenPurpose = "KelolaPesan.Instagram.Token";

    public async Task<InstagramAccountView?> GetAsync(Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var account = await db.InstagramAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.WorkspaceId == workspaceId, ct);
        return account is null ? null : View(account);
    }

    public async Task<bool> WorkspaceExistsAsync(Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.Workspaces.AnyAsync(w => w.Id == workspaceId, ct);
    }

    /// <summary>Completes Business Login for a workspace of the current tenant; reconnecting updates the same row.</summary>
    public async Task<InstagramConnectResult> ConnectAsync(Guid workspaceId, string code, string redirectUri, AuditActor actor, CancellationToken ct = default)
    {
        if (!options.Value.IsConfigured)
            return new(InstagramConnectError.NotConfigured);
        await using var db = await dbFactory.CreateAsync(ct);
        var workspace = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => new { w.Id, w.TenantId }).FirstOrDefaultAsync(ct);
        if (workspace is null)
            return new(InstagramConnectError.WorkspaceNotFound);

        InstagramShortToken shortToken;
        InstagramLongToken longToken;
        InstagramProfile profile;
        try
        {
            shortToken = await graph.ExchangeCodeAsync(code, redirectUri, ct);
            longToken = await graph.ExchangeLongLivedAsync(shortToken.AccessToken, ct);
            profile = await graph.GetProfileAsync(longToken.AccessToken, ct);
        }
        catch (InstagramGraphException ex)
        {
            logger.LogWarning(ex, "Instagram connect failed for workspace {WorkspaceId}", workspaceId);
            await audit.WriteAsync(new AuditRecord(InstagramAuditActions.ConnectFailed, actor.Type, actor.Name, actor.Id, workspace.TenantId,
                "Workspace", workspaceId.ToString(), $"{ex.Operation}: {ex.Kind}", actor.IpAddress, Succeeded: false), ct);
            return new(InstagramConnectError.GraphFailed, Detail: ex.GraphMessage);
        }

        // Webhooks find the workspace by the Instagram user id: one live connection per Instagram account.
        await using (var system = dbFactory.CreateSystem())
        {
            if (await system.InstagramAccounts.AnyAsync(a => a.InstagramUserId == profile.UserId && a.WorkspaceId != workspaceId
                    && a.Status == InstagramConnectionStatus.Connected, ct))
                return new(InstagramConnectError.ConnectedElsewhere, profile.Username);
        }

        try
        {
            await graph.SubscribeAsync(longToken.AccessToken, ct);
        }
        catch (InstagramGraphException ex)
        {
            logger.LogWarning(ex, "Instagram subscribe failed for workspace {WorkspaceId}", workspaceId);
            return new(InstagramConnectError.GraphFailed, profile.Username, ex.GraphMessage);
        }

        var now = clock.GetUtcNow();
        var account = await db.InstagramAccounts.FirstOrDefaultAsync(a => a.WorkspaceId == workspaceId, ct);
        if (account is null)
        {
            account = new InstagramAccount { TenantId = workspace.TenantId, WorkspaceId = workspaceId };
            db.InstagramAccounts.Add(account);
        }
        account.InstagramUserId = profile.UserId;
        account.Username = Clip(profile.Username, InstagramAccount.UsernameMaxLength);
        account.DisplayName = profile.Name is null ? null : Clip(profile.Name, 200);
        account.ProfilePictureUrl = profile.ProfilePictureUrl is { Length: <= 2000 } picture ? picture : null;
        account.AccessTokenEncrypted = secrets.Protect(TokenPurpose, longToken.AccessToken);
        account.TokenExpiresAt = now + longToken.ExpiresIn;
        account.TokenRefreshedAt = now;
        account.Permissions = Clip(string.Join(',', shortToken.Permissions), 500);
        account.Status = InstagramConnectionStatus.Connected;
        account.StatusReason = null;
        account.ConnectedAt = now;
        await db.SaveChangesAsync(ct);
        await PublishStatusAsync(workspace.TenantId, workspaceId, account.Status);
        // Replies that met an expired token wait for this moment: send them now, not at the next sweep.
        replySignal.Request(workspace.TenantId, workspaceId);

        await audit.WriteAsync(InstagramAuditActions.Connected, actor, workspace.TenantId, "Workspace", workspaceId.ToString(),
            $"@{account.Username} ({account.InstagramUserId})", ct);
        return new(InstagramConnectError.None, account.Username);
    }

    /// <summary>
    /// Unsubscribes at Graph (a refused token is no reason to stop), deletes the token and marks the account disconnected;
    /// with <paramref name="deleteHistory"/> the workspace's Instagram data goes too. False when the workspace has no account.
    /// </summary>
    public async Task<bool> DisconnectAsync(Guid workspaceId, bool deleteHistory, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var account = await db.InstagramAccounts.FirstOrDefaultAsync(a => a.WorkspaceId == workspaceId, ct);
        if (account is null)
            return false;
        await UnsubscribeQuietlyAsync(account, ct);

        if (deleteHistory)
        {
            await eraser.EraseInstagramAsync(db, workspaceId, ct);
        }
        else
        {
            account.AccessTokenEncrypted = null;
            account.Status = InstagramConnectionStatus.Disconnected;
            account.StatusReason = null;
            await db.SaveChangesAsync(ct);
        }
        await PublishStatusAsync(account.TenantId, workspaceId, deleteHistory ? null : InstagramConnectionStatus.Disconnected);
        await audit.WriteAsync(InstagramAuditActions.Disconnected, actor, account.TenantId, "Workspace", workspaceId.ToString(),
            $"@{account.Username}; history {(deleteHistory ? "deleted" : "kept")}", ct);
        return true;
    }

    /// <summary>Meta's deauthorize callback: every account of that Instagram user, in any tenant, loses its token. Returns how many.</summary>
    public async Task<int> DeauthorizeAsync(string instagramUserId, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateSystem();
        var accounts = await db.InstagramAccounts.Where(a => a.InstagramUserId == instagramUserId && a.Status != InstagramConnectionStatus.Disconnected)
            .ToListAsync(ct);
        foreach (var account in accounts)
        {
            await UnsubscribeQuietlyAsync(account, ct);
            account.AccessTokenEncrypted = null;
            account.Status = InstagramConnectionStatus.Disconnected;
            account.StatusReason = "Instagram_Deauthorized";
        }
        await db.SaveChangesAsync(ct);
        foreach (var account in accounts)
            await PublishStatusAsync(account.TenantId, account.WorkspaceId, account.Status);
        foreach (var account in accounts)
            await audit.WriteAsync(InstagramAuditActions.Deauthorized, AuditActor.System, account.TenantId, "Workspace", account.WorkspaceId.ToString(),
                $"@{account.Username} ({instagramUserId})", ct);
        return accounts.Count;
    }

    /// <summary>The decrypted token of a connected account, or null (none, not connected, or unreadable).</summary>
    public string? ReadToken(InstagramAccount account) =>
        account is { Status: InstagramConnectionStatus.Connected, AccessTokenEncrypted: { } encrypted } ? secrets.Unprotect(TokenPurpose, encrypted) : null;

    /// <summary>
    /// Graph refused the token (190) or it expired: mark the account, drop the token and tell the owner once.
    /// For every caller that meets a <see cref="InstagramGraphErrorKind.TokenInvalid"/> (refresh job, media, part B's sends).
    /// </summary>
    public async Task MarkTokenInvalidAsync(Guid accountId, string reason, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateSystem();
        var account = await db.InstagramAccounts.FirstOrDefaultAsync(a => a.Id == accountId, ct);
        if (account is null || account.Status != InstagramConnectionStatus.Connected)
            return;
        var now = clock.GetUtcNow();
        account.Status = InstagramConnectionStatus.TokenExpired;
        account.StatusReason = Clip(ProblemText.Store(Problem.Of("Instagram_TokenRefused").WithDetail(reason)), 1000);
        account.AccessTokenEncrypted = null;
        await db.SaveChangesAsync(ct);
        await PublishStatusAsync(account.TenantId, account.WorkspaceId, account.Status);

        await audit.WriteAsync(new AuditRecord(InstagramAuditActions.TokenExpired, AuditActorType.System, "system", null, account.TenantId,
            "Workspace", account.WorkspaceId.ToString(), Clip(reason, 500), Succeeded: false), ct);
        var workspace = await db.Workspaces.IgnoreQueryFilters([QueryFilters.Tenant, QueryFilters.SoftDelete]).Where(w => w.Id == account.WorkspaceId).Select(w => w.Name).FirstOrDefaultAsync(ct) ?? "";
        await notifier.NotifyInstagramDisconnectedAsync(account.TenantId, account.Id, workspace, account.Username, now, ct);
    }

    /// <summary>Open pages that show the account (the Instagram page, the Workspaces table) redraw it without a reload.</summary>
    private Task PublishStatusAsync(Guid tenantId, Guid workspaceId, InstagramConnectionStatus? status) =>
        bus.PublishAsync(Topics.Tenant(tenantId), new InstagramStatusChanged(tenantId, workspaceId, status));

    private async Task UnsubscribeQuietlyAsync(InstagramAccount account, CancellationToken ct)
    {
        if (ReadToken(account) is not { } token)
            return;
        try
        {
            await graph.UnsubscribeAsync(token, ct);
        }
        catch (InstagramGraphException ex)
        {
            // 190: the token is already dead, so is the subscription. Anything else: the token is deleted anyway.
            if (ex.Kind != InstagramGraphErrorKind.TokenInvalid)
                logger.LogWarning(ex, "Instagram unsubscribe failed for workspace {WorkspaceId}", account.WorkspaceId);
        }
    }

    internal static InstagramAccountView View(InstagramAccount a) => new(a.Id, a.WorkspaceId, a.InstagramUserId, a.Username, a.DisplayName,
        a.ProfilePictureUrl, a.Status, a.StatusReason, a.TokenExpiresAt, a.ConnectedAt,
        a.Permissions.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), a.AccessTokenEncrypted is not null);

    private static string Clip(string value, int max) => value.Length <= max ? value : value[..max];
}
