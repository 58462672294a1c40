using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Privacy;

/// <summary>What the public status page may show about a request: never the tenant or the target.</summary>
public sealed record DeletionStatusView(string Code, DeletionScope Scope, DataJobStatus Status, DateTimeOffset RequestedAt, DateTimeOffset? CompletedAt);

public enum DeletionRequestError { None, NotFound }

/// <summary>
/// Deletion runs as a job with a confirmation code: the request hides the target at once (marked deleted), the job
/// erases it for good through <see cref="DataEraser"/>, and anyone holding the code can look up the status.
/// </summary>
public sealed class DataDeletionService(IKelolaDbFactory dbFactory, DataEraser eraser, IWhatsAppGateway gateway, AuditLog audit,
    TimeProvider clock, ILogger<DataDeletionService> logger)
{
    public const string CodePrefix = "DEL-";

    /// <summary>Records a request for a target of the current tenant; null when the target is not the tenant's (another tenant's id included).</summary>
    public async Task<DeletionRequest?> RequestAsync(DeletionScope scope, Guid targetId, AuditActor actor, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        Guid tenantId;
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            if (await db.Tenants.Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct) is not { } tenant)
                return null;
            tenantId = tenant;
            // Hidden at once so nobody keeps working with it; the job removes it for good.
            var found = scope switch
            {
                DeletionScope.Contact => await db.Contacts.Where(c => c.Id == targetId)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.DeletedAt, now), ct) > 0,
                DeletionScope.Chat => await db.Chats.Where(c => c.Id == targetId)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.DeletedAt, now), ct) > 0,
                DeletionScope.Workspace => await db.Workspaces.Where(w => w.Id == targetId)
                    .ExecuteUpdateAsync(s => s.SetProperty(w => w.DeletedAt, now), ct) > 0,
                DeletionScope.InstagramData => await db.Workspaces.AnyAsync(w => w.Id == targetId, ct),
                DeletionScope.Tenant => targetId == tenant,
                _ => false,
            };
            if (!found)
                return null;
        }

        var request = new DeletionRequest
        {
            ConfirmationCode = CodePrefix + RandomCode.Create(12), TenantId = tenantId, Scope = scope,
            TargetId = targetId.ToString(), Status = DataJobStatus.Queued, RequestedBy = actor.Name,
        };
        await using (var system = dbFactory.CreateSystem())
        {
            system.DeletionRequests.Add(request);
            await system.SaveChangesAsync(ct);
        }
        await audit.WriteAsync(PrivacyAuditActions.DeletionRequested, actor, tenantId, scope.ToString(), targetId.ToString(),
            $"code={request.ConfirmationCode}", ct);
        return request;
    }

    /// <summary>
    /// Meta's data deletion or deauthorize callback for an Instagram user: not tied to a tenant; the job erases that user
    /// everywhere (their connected account's Instagram data, their comments, DMs and raw webhook rows).
    /// </summary>
    public async Task<DeletionRequest> RequestInstagramUserAsync(string instagramUserId, AuditActor actor, CancellationToken ct = default)
    {
        var request = new DeletionRequest
        {
            ConfirmationCode = CodePrefix + RandomCode.Create(12), TenantId = null, Scope = DeletionScope.InstagramUser,
            TargetId = instagramUserId, Status = DataJobStatus.Queued, RequestedBy = actor.Name,
        };
        await using (var system = dbFactory.CreateSystem())
        {
            system.DeletionRequests.Add(request);
            await system.SaveChangesAsync(ct);
        }
        await audit.WriteAsync(PrivacyAuditActions.DeletionRequested, actor, null, nameof(DeletionScope.InstagramUser), instagramUserId,
            $"code={request.ConfirmationCode}", ct);
        return request;
    }

    /// <summary>The job's work: erase the target for good, then mark the request completed (or failed, to retry).</summary>
    public async Task RunAsync(Guid requestId, CancellationToken ct = default)
    {
        DeletionRequest? request;
        await using (var system = dbFactory.CreateSystem())
        {
            request = await system.DeletionRequests.FirstOrDefaultAsync(r => r.Id == requestId, ct);
            if (request is null || request.Status == DataJobStatus.Completed)
                return;
            request.Status = DataJobStatus.Running;
            await system.SaveChangesAsync(ct);
        }
        try
        {
            await EraseAsync(request, ct);
            await SetStatusAsync(requestId, DataJobStatus.Completed, null, ct);
            await audit.WriteAsync(PrivacyAuditActions.DeletionCompleted, AuditActor.System, request.TenantId, request.Scope.ToString(),
                request.TargetId, $"code={request.ConfirmationCode}", ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Deletion request {RequestId} failed", requestId);
            await SetStatusAsync(requestId, DataJobStatus.Failed, ex.GetType().Name, CancellationToken.None);
            await audit.WriteAsync(new AuditRecord(PrivacyAuditActions.DeletionFailed, AuditActorType.System, "system", null, request.TenantId,
                request.Scope.ToString(), request.TargetId, ex.GetType().Name, Succeeded: false), CancellationToken.None);
            throw;
        }
    }

    private async Task EraseAsync(DeletionRequest request, CancellationToken ct)
    {
        if (request.Scope == DeletionScope.InstagramUser)
        {
            // Meta's callback names an Instagram user, not a tenant: their data goes wherever it is.
            await using var system = dbFactory.CreateSystem();
            await eraser.EraseInstagramUserAsync(system, request.TargetId, ct);
            return;
        }
        var tenantId = request.TenantId ?? throw new InvalidOperationException("A tenant deletion request needs its tenant.");
        var target = Guid.Parse(request.TargetId);
        await using var db = dbFactory.CreateForTenant(tenantId);
        switch (request.Scope)
        {
            case DeletionScope.Contact:
                await eraser.EraseContactsAsync(db, [target], ct);
                break;
            case DeletionScope.Chat:
                await eraser.EraseChatsAsync(db, [target], ct);
                break;
            case DeletionScope.InstagramData:
                await eraser.EraseInstagramAsync(db, target, ct);
                break;
            case DeletionScope.Workspace:
                await EndSessionsAsync(db, [target], ct);
                await eraser.EraseWorkspaceAsync(db, target, ct);
                await EraseRawWebhooksAsync(w => w.WorkspaceId == target, ct);
                break;
            case DeletionScope.Tenant:
                var workspaces = await db.Workspaces.IgnoreQueryFilters([DataEraser.SoftDeleteFilter]).Select(w => w.Id).ToListAsync(ct);
                await EndSessionsAsync(db, workspaces, ct);
                await eraser.EraseTenantAsync(db, tenantId, ct);
                await EraseRawWebhooksAsync(w => w.TenantId == tenantId, ct);
                await db.Tenants.IgnoreQueryFilters([DataEraser.SoftDeleteFilter]).Where(t => t.Id == tenantId)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.DeletedAt, clock.GetUtcNow()), ct);
                break;
        }
    }

    private async Task EraseRawWebhooksAsync(System.Linq.Expressions.Expression<Func<Webhooks.InboundWebhookEvent, bool>> which, CancellationToken ct)
    {
        await using var system = dbFactory.CreateSystem();
        await system.InboundWebhookEvents.Where(which).ExecuteDeleteAsync(ct);
    }

    /// <summary>Logs the phone out and deletes the gateway session; a gateway failure is logged, the erase still happens.</summary>
    private async Task EndSessionsAsync(IKelolaDb db, IReadOnlyCollection<Guid> workspaceIds, CancellationToken ct)
    {
        var ids = workspaceIds.ToList();
        var sessions = await db.Workspaces.IgnoreQueryFilters([DataEraser.SoftDeleteFilter])
            .Where(w => ids.Contains(w.Id) && w.ExternalSessionId != null).Select(w => w.ExternalSessionId!).ToListAsync(ct);
        foreach (var session in sessions)
        {
            try
            {
                await gateway.LogoutSessionAsync(session, ct);
            }
            catch (GatewayException ex)
            {
                logger.LogWarning(ex, "Logout of session {Session} failed before deletion", session);
            }
            try
            {
                await gateway.DeleteSessionAsync(session, ct);
            }
            catch (GatewayException ex)
            {
                logger.LogWarning(ex, "Delete of session {Session} failed", session);
            }
        }
    }

    private async Task SetStatusAsync(Guid requestId, DataJobStatus status, string? error, CancellationToken ct)
    {
        await using var system = dbFactory.CreateSystem();
        var completed = status == DataJobStatus.Completed ? clock.GetUtcNow() : (DateTimeOffset?)null;
        await system.DeletionRequests.Where(r => r.Id == requestId).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, status).SetProperty(r => r.Error, error).SetProperty(r => r.CompletedAt, completed), ct);
    }

    /// <summary>
    /// The contact or chat of a number in a workspace of the current tenant (the owner names a number, not an id);
    /// the number is normalised with the tenant's region first. Null when there is none.
    /// </summary>
    public async Task<Guid?> FindByPhoneAsync(DeletionScope scope, Guid workspaceId, string? phone, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var region = await db.Tenants.Select(t => t.PhoneRegion).FirstOrDefaultAsync(ct) ?? Tenancy.Tenant.DefaultRegion;
        if (Contacts.PhoneNormalizer.Normalize(phone, region).E164 is not { } e164)
            return null;
        return scope switch
        {
            DeletionScope.Contact => await db.Contacts.Where(c => c.WorkspaceId == workspaceId && c.Phone == e164).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct),
            DeletionScope.Chat => await db.Chats.Where(c => c.WorkspaceId == workspaceId && c.PhoneNumber == e164).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct),
            _ => null,
        };
    }

    /// <summary>The public status by confirmation code (case-insensitive, spaces ignored); null when unknown.</summary>
    public async Task<DeletionStatusView?> LookupAsync(string? code, CancellationToken ct = default)
    {
        var clean = (code ?? "").Trim().Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        if (clean.Length is < 5 or > DeletionRequest.CodeMaxLength)
            return null;
        await using var system = dbFactory.CreateSystem();
        return await system.DeletionRequests.AsNoTracking().Where(r => r.ConfirmationCode == clean)
            .Select(r => new DeletionStatusView(r.ConfirmationCode, r.Scope, r.Status, r.CreatedAt, r.CompletedAt)).FirstOrDefaultAsync(ct);
    }

    /// <summary>The tenant's own requests, for the owner's privacy page.</summary>
    public async Task<IReadOnlyList<DeletionStatusView>> ListAsync(Guid tenantId, CancellationToken ct = default)
    {
        await using var system = dbFactory.CreateSystem();
        return await system.DeletionRequests.AsNoTracking().Where(r => r.TenantId == tenantId).OrderByDescending(r => r.CreatedAt).Take(20)
            .Select(r => new DeletionStatusView(r.ConfirmationCode, r.Scope, r.Status, r.CreatedAt, r.CompletedAt)).ToListAsync(ct);
    }
}
