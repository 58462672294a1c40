using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.ExternalApi;

/// <summary>Reads for API callers: workspaces in the key's scope and synchronous number checks (small batches).</summary>
public sealed class ApiDirectory(IKelolaDbFactory dbFactory, IWhatsAppGateway gateway, NumberValidationService validation)
{
    public const int MaxSyncNumbers = 50;

    public async Task<IReadOnlyList<ApiWorkspaceView>> WorkspacesAsync(ApiCaller caller, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateForTenant(caller.TenantId);
        var query = db.Workspaces.AsNoTracking();
        if (caller.WorkspaceId is { } only)
            query = query.Where(w => w.Id == only);
        return await query.OrderBy(w => w.Name)
            .Select(w => new ApiWorkspaceView(w.Id, w.Name, w.Label, w.PhoneNumber, w.ConnectionStatus.ToString(), w.StatusChangedAt))
            .ToListAsync(ct);
    }

    /// <summary>True when the workspace exists for the caller's tenant and lies in the key's scope.</summary>
    public async Task<bool> SeesWorkspaceAsync(ApiCaller caller, Guid workspaceId, CancellationToken ct = default)
    {
        if (!caller.MaySee(workspaceId))
            return false;
        await using var db = dbFactory.CreateForTenant(caller.TenantId);
        return await db.Workspaces.AnyAsync(w => w.Id == workspaceId, ct);
    }

    /// <summary>Checks up to <see cref="MaxSyncNumbers"/> numbers now through the gateway; null when the workspace is not visible.</summary>
    public async Task<IReadOnlyList<ApiNumberCheck>?> CheckNowAsync(ApiCaller caller, Guid workspaceId, IReadOnlyList<string> numbers, CancellationToken ct = default)
    {
        if (!caller.MaySee(workspaceId))
            return null;
        await using var db = dbFactory.CreateForTenant(caller.TenantId);
        var ws = await db.Workspaces.AsNoTracking().Where(w => w.Id == workspaceId)
            .Select(w => new { w.ExternalSessionId, Region = db.Tenants.Where(t => t.Id == w.TenantId).Select(t => t.PhoneRegion).FirstOrDefault() })
            .FirstOrDefaultAsync(ct);
        if (ws is null)
            return null;
        var results = new List<ApiNumberCheck>(numbers.Count);
        foreach (var raw in numbers)
        {
            var phone = PhoneNormalizer.Normalize(raw, ws.Region ?? Tenancy.Tenant.DefaultRegion);
            if (!phone.IsValid)
            {
                results.Add(new ApiNumberCheck(raw, null, nameof(ValidationStatus.InvalidFormat), phone.Reason));
                continue;
            }
            if (ws.ExternalSessionId is not { } session)
            {
                results.Add(new ApiNumberCheck(raw, phone.E164, nameof(ValidationStatus.Unknown), ProblemText.Get("Gateway_NoSession")));
                continue;
            }
            try
            {
                var check = await gateway.CheckNumberAsync(session, phone.E164!, ct);
                results.Add(new ApiNumberCheck(raw, phone.E164, check.Registration == NumberRegistration.Registered
                    ? nameof(ValidationStatus.Registered) : nameof(ValidationStatus.NotRegistered), null));
            }
            catch (GatewayException ex)
            {
                results.Add(new ApiNumberCheck(raw, phone.E164, nameof(ValidationStatus.Unknown), ex.Message));
            }
        }
        return results;
    }

    /// <summary>A validation job visible to the caller, or null (another tenant's, or outside the key's workspace).</summary>
    public async Task<ApiValidationJobView?> JobAsync(ApiCaller caller, Guid jobId, CancellationToken ct = default)
    {
        var job = await validation.GetJobAsync(jobId, ct);
        if (job is null || job.TenantId != caller.TenantId || !caller.MaySee(job.WorkspaceId))
            return null;
        return new ApiValidationJobView(job.Id, job.WorkspaceId, job.Status.ToString(), job.Total, job.Processed, job.Registered,
            job.NotRegistered, job.InvalidFormat, job.Unknown, job.FinishedAt);
    }
}

public sealed record ApiWorkspaceView(Guid Id, string Name, string? Label, string? PhoneNumber, string Status, DateTimeOffset? StatusChangedAt);

public sealed record ApiNumberCheck(string Input, string? Number, string Status, string? Error);

public sealed record ApiValidationJobView(Guid Id, Guid WorkspaceId, string Status, int Total, int Processed, int Registered,
    int NotRegistered, int InvalidFormat, int Unknown, DateTimeOffset? FinishedAt);
