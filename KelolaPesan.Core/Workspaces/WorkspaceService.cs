using System.Security.Cryptography;
using FluentValidation;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KelolaPesan.Core.Workspaces;

/// <summary>
/// Managing the current tenant's workspaces (within the licence's quota) and driving their gateway
/// sessions. Every gateway failure is kept as a <see cref="WorkspaceEvent"/> the workspaces page shows.
/// </summary>
public sealed class WorkspaceService(
    IKelolaDbFactory dbFactory,
    ITenantContext tenant,
    IWhatsAppGateway gateway,
    ISecretProtector secrets,
    IValidator<WorkspaceInput> validator,
    IOptions<GatewayOptions> gatewayOptions,
    IRealtimeBus bus,
    Webhooks.WebhookKeyCache webhookKeys,
    TimeProvider clock)
{
    public const string WebhookSecretPurpose = "KelolaPesan.Workspaces.WebhookSecret";
    public const string WebhookPath = "/webhooks/whatsapp";
    public const int EventsShown = 50;

    public async Task<IReadOnlyList<WorkspaceRow>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var rows = await db.Workspaces.AsNoTracking()
            .Select(w => new WorkspaceRow(w.Id, w.Name, w.Label, w.ConnectionStatus, w.PhoneNumber, w.ConnectedAt, w.StatusChangedAt, w.ExternalSessionId, w.MonitorStoppedAt))
            .ToListAsync(ct);
        return rows.OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
    }

    public async Task<WorkspaceQuota> GetQuotaAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await QuotaAsync(db, ct);
    }

    public async Task<IReadOnlyList<WorkspaceEvent>> ListEventsAsync(Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var rows = await db.WorkspaceEvents.AsNoTracking().Where(e => e.WorkspaceId == workspaceId).ToListAsync(ct);
        return rows.OrderByDescending(e => e.At).Take(EventsShown).ToList();
    }

    public async Task<WorkspaceResult> CreateAsync(WorkspaceInput input, CancellationToken ct = default)
    {
        if (await ValidateAsync(input, ct) is { } invalid)
            return invalid;
        var tenantId = tenant.TenantId ?? throw new InvalidOperationException("No tenant in this scope.");
        await using var db = await dbFactory.CreateAsync(ct);
        var quota = await QuotaAsync(db, ct);
        if (quota.Used >= quota.Max)
            return WorkspaceResult.Fail(WorkspaceError.QuotaReached, ProblemText.Format("Workspace_QuotaDetail", quota.Max));

        var workspace = new Workspace { TenantId = tenantId, Name = input.Name.Trim(), Label = Clean(input.Label) };
        workspace.ExternalSessionId = SessionNameFor(workspace.Id);
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync(ct);
        await PublishStatusAsync(workspace);
        return WorkspaceResult.Ok(workspace.Id);
    }

    public async Task<WorkspaceResult> UpdateAsync(Guid workspaceId, WorkspaceInput input, CancellationToken ct = default)
    {
        if (await ValidateAsync(input, ct) is { } invalid)
            return invalid;
        await using var db = await dbFactory.CreateAsync(ct);
        if (await db.Workspaces.FirstOrDefaultAsync(w => w.Id == workspaceId, ct) is not { } workspace)
            return WorkspaceResult.Fail(WorkspaceError.NotFound);
        workspace.Name = input.Name.Trim();
        workspace.Label = Clean(input.Label);
        await db.SaveChangesAsync(ct);
        await PublishStatusAsync(workspace);
        return WorkspaceResult.Ok(workspace.Id);
    }

    /// <summary>Soft-deletes the workspace (its data stays until the retention purge) and removes its gateway session.</summary>
    public async Task<WorkspaceResult> DeleteAsync(Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        if (await db.Workspaces.FirstOrDefaultAsync(w => w.Id == workspaceId, ct) is not { } workspace)
            return WorkspaceResult.Fail(WorkspaceError.NotFound);
        workspace.DeletedAt = clock.GetUtcNow();
        workspace.ConnectionStatus = ConnectionStatus.Disconnected;
        if (workspace.ExternalSessionId is { } session)
        {
            // A deleted workspace must stop receiving; a gateway error is recorded, the delete still happens.
            await CallGatewayAsync(db, workspace, "DeleteSession", () => gateway.DeleteSessionAsync(session, ct));
        }
        await db.SaveChangesAsync(ct);
        await PublishStatusAsync(workspace);
        return WorkspaceResult.Ok(workspace.Id);
    }

    /// <summary>
    /// Creates (or updates and starts) the gateway session: the workspace in its metadata, our webhook URL and the
    /// workspace's own HMAC key. The status then arrives as session events (webhook or simulator).
    /// </summary>
    public async Task<WorkspaceResult> ConnectAsync(Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        if (await db.Workspaces.FirstOrDefaultAsync(w => w.Id == workspaceId, ct) is not { } workspace)
            return WorkspaceResult.Fail(WorkspaceError.NotFound);

        workspace.ExternalSessionId ??= SessionNameFor(workspace.Id);
        var key = WebhookKeyOf(workspace);
        if (key is null)
        {
            key = NewWebhookKey();
            workspace.WebhookSecretEncrypted = secrets.Protect(WebhookSecretPurpose, key);
            webhookKeys.Forget(workspace.Id);
        }
        var changed = workspace.ConnectionStatus != ConnectionStatus.Connected && workspace.ConnectionStatus != ConnectionStatus.Starting;
        // A session made (again) at the gateway: the monitor, if it had given up on an unknown session, watches it again.
        WorkspaceConnectionService.ResumeMonitoring(workspace);
        if (changed)
        {
            workspace.ConnectionStatus = ConnectionStatus.Starting;
            workspace.StatusChangedAt = clock.GetUtcNow();
        }
        // Saved before the call: the gateway may report the next status (and sign it with this key) before it returns.
        await db.SaveChangesAsync(ct);
        if (changed)
            await PublishStatusAsync(workspace);

        var setup = new GatewaySessionSetup(
            workspace.ExternalSessionId,
            new Dictionary<string, string> { ["tenantId"] = workspace.TenantId.ToString(), ["workspaceId"] = workspace.Id.ToString() },
            WebhookUrlFor(workspace.Id),
            key);
        var result = await CallGatewayAsync(db, workspace, "Connect", () => gateway.EnsureSessionAsync(setup, ct));
        await db.SaveChangesAsync(ct);
        return result;
    }

    /// <summary>The current QR code, or null when the session is not waiting for a scan.</summary>
    public async Task<(WorkspaceResult Result, GatewayQrCode? Qr)> GetQrAsync(Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        if (await db.Workspaces.FirstOrDefaultAsync(w => w.Id == workspaceId, ct) is not { ExternalSessionId: { } session } workspace)
            return (WorkspaceResult.Fail(WorkspaceError.NotFound), null);
        GatewayQrCode? qr = null;
        var result = await CallGatewayAsync(db, workspace, "GetQrCode", async () => qr = await gateway.GetQrCodeAsync(session, ct));
        await db.SaveChangesAsync(ct);
        return (result, qr);
    }

    public Task<WorkspaceResult> RestartAsync(Guid workspaceId, CancellationToken ct = default) =>
        SessionCallAsync(workspaceId, "RestartSession", s => gateway.RestartSessionAsync(s, ct), ct);

    /// <summary>Logs the phone out; the session stays configured and will ask for a new scan.</summary>
    public Task<WorkspaceResult> DisconnectAsync(Guid workspaceId, CancellationToken ct = default) =>
        SessionCallAsync(workspaceId, "LogoutSession", s => gateway.LogoutSessionAsync(s, ct), ct);

    /// <summary>Starts a stopped session again; a session the gateway lost is created afresh.</summary>
    public async Task<WorkspaceResult> ReconnectAsync(Guid workspaceId, CancellationToken ct = default)
    {
        var started = await SessionCallAsync(workspaceId, "StartSession", s => gateway.StartSessionAsync(s, ct), ct);
        return started.Error == WorkspaceError.Gateway ? await ConnectAsync(workspaceId, ct) : started;
    }

    public static string SessionNameFor(Guid workspaceId) => $"kp-{workspaceId:N}";

    public string WebhookUrlFor(Guid workspaceId) => gatewayOptions.Value.WebhookUrl(WebhookPath) + "?workspace=" + workspaceId.ToString();

    private string? WebhookKeyOf(Workspace workspace) =>
        workspace.WebhookSecretEncrypted is { } encrypted ? secrets.Unprotect(WebhookSecretPurpose, encrypted) : null;

    private static string NewWebhookKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private async Task<WorkspaceResult> SessionCallAsync(Guid workspaceId, string operation, Func<string, Task> call, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        if (await db.Workspaces.FirstOrDefaultAsync(w => w.Id == workspaceId, ct) is not { } workspace)
            return WorkspaceResult.Fail(WorkspaceError.NotFound);
        if (workspace.ExternalSessionId is not { } session)
            return WorkspaceResult.Fail(WorkspaceError.NotConnected);
        var result = await CallGatewayAsync(db, workspace, operation, () => call(session));
        await db.SaveChangesAsync(ct);
        return result;
    }

    /// <summary>Runs one gateway call; a failure becomes an error record on the workspace (saved by the caller).</summary>
    private async Task<WorkspaceResult> CallGatewayAsync(IKelolaDb db, Workspace workspace, string operation, Func<Task> call)
    {
        try
        {
            await call();
            return WorkspaceResult.Ok(workspace.Id);
        }
        catch (GatewayException ex)
        {
            WorkspaceEvents.Add(db, workspace, WorkspaceEventKind.Error, operation, ex.Message, clock.GetUtcNow());
            return WorkspaceResult.Fail(WorkspaceError.Gateway, ex.Message);
        }
    }

    private async Task<WorkspaceResult?> ValidateAsync(WorkspaceInput input, CancellationToken ct)
    {
        input.Name = NulText.Name(input.Name) ?? "";
        var validation = await validator.ValidateAsync(input, ct);
        return validation.IsValid
            ? null
            : WorkspaceResult.Fail(WorkspaceError.Invalid, string.Join(" ", validation.Errors.Select(e => e.ErrorMessage)));
    }

    private async Task<WorkspaceQuota> QuotaAsync(IKelolaDb db, CancellationToken ct)
    {
        var tenantId = tenant.TenantId ?? throw new InvalidOperationException("No tenant in this scope.");
        var used = await db.Workspaces.CountAsync(ct);
        var licenceId = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.LicenceId).FirstAsync(ct);
        // Licences are platform rows: only a system context reads them.
        await using var system = dbFactory.CreateSystem();
        var max = await system.Licences.Where(l => l.Id == licenceId).Select(l => l.MaxWorkspaces).FirstOrDefaultAsync(ct);
        return new WorkspaceQuota(used, max);
    }

    private Task PublishStatusAsync(Workspace workspace) =>
        bus.PublishAsync(Topics.Tenant(workspace.TenantId), new WorkspaceStatusChanged(workspace.TenantId, workspace.Id, workspace.ConnectionStatus));

    private static string? Clean(string? label) => string.IsNullOrWhiteSpace(label) ? null : label.Trim();
}

public sealed record WorkspaceRow(
    Guid Id, string Name, string? Label, ConnectionStatus Status, string? PhoneNumber,
    DateTimeOffset? ConnectedAt, DateTimeOffset? StatusChangedAt, string? SessionName, DateTimeOffset? MonitorStoppedAt = null);

public sealed record WorkspaceQuota(int Used, int Max)
{
    public bool CanCreate => Used < Max;
}

public enum WorkspaceError { None, NotFound, Invalid, QuotaReached, NotConnected, Gateway }

public sealed record WorkspaceResult(WorkspaceError Error, Guid? WorkspaceId = null, string? Detail = null)
{
    public bool Succeeded => Error == WorkspaceError.None;

    public static WorkspaceResult Ok(Guid id) => new(WorkspaceError.None, id);

    public static WorkspaceResult Fail(WorkspaceError error, string? detail = null) => new(error, null, detail);
}
