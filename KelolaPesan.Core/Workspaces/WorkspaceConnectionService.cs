using System.Text.Json;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Workspaces;

/// <summary>
/// Applies what the gateway says about a session (webhooks, simulator, the monitoring job) to the stored
/// workspace, records drops and reconnects, and restarts failed sessions within the connection policy.
/// Works without a signed-in user: it opens contexts for the workspace's tenant explicitly.
/// </summary>
public sealed class WorkspaceConnectionService(
    IKelolaDbFactory dbFactory,
    IWhatsAppGateway gateway,
    IRealtimeBus bus,
    PlatformNotifier notifier,
    PolicyService policies,
    Broadcasts.BroadcastReconnect broadcasts,
    TimeProvider clock,
    ILogger<WorkspaceConnectionService> logger)
{
    public static ConnectionStatus ToConnectionStatus(GatewaySessionStatus status) => status switch
    {
        GatewaySessionStatus.Starting => ConnectionStatus.Starting,
        GatewaySessionStatus.ScanQr => ConnectionStatus.ScanQr,
        GatewaySessionStatus.Working => ConnectionStatus.Connected,
        GatewaySessionStatus.Failed => ConnectionStatus.Failed,
        _ => ConnectionStatus.Stopped,
    };

    /// <summary>Stores the session's status on the workspace and tells every open page.</summary>
    public async Task ApplyStatusAsync(Guid tenantId, Guid workspaceId, GatewaySessionStatus status, GatewayAccount? me, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateForTenant(tenantId);
        if (await db.Workspaces.FirstOrDefaultAsync(w => w.Id == workspaceId, ct) is not { } workspace)
            return;
        var wasConnected = workspace.ConnectionStatus == ConnectionStatus.Connected;
        var changed = Apply(db, workspace, status, me, "SessionStatus");
        // The gateway speaks about the session, so it knows it: a monitor that gave up on it watches it again.
        var watchedAgain = ResumeMonitoring(workspace);
        await db.SaveChangesAsync(ct);
        await PublishAsync(workspace, changed || watchedAgain, status);
        await NotifyIfDroppedAsync(workspace, wasConnected, ct);
        await ResumeBroadcastsIfBackAsync(workspace, wasConnected, ct);
    }

    /// <summary>Clears the monitor's back-off and its "stopped" mark; true when the workspace was marked.</summary>
    public static bool ResumeMonitoring(Workspace workspace)
    {
        var marked = workspace.MonitorStoppedAt is not null;
        workspace.UnknownSessionChecks = 0;
        workspace.MonitorNextCheckAt = null;
        workspace.MonitorStoppedAt = null;
        return marked;
    }

    /// <summary>The longest wait between two checks of a session the gateway does not know.</summary>
    public static readonly TimeSpan MaxUnknownSessionBackoff = TimeSpan.FromHours(1);

    /// <summary>After the n-th unknown answer in a row the monitor waits 2^(n-1) minutes (1, 2, 4, ...), at most an hour.</summary>
    public static TimeSpan UnknownSessionBackoff(int checks) =>
        TimeSpan.FromTicks(Math.Min(MaxUnknownSessionBackoff.Ticks, TimeSpan.FromMinutes(1).Ticks * (1L << Math.Clamp(checks - 1, 0, 20))));

    private async Task ResumeBroadcastsIfBackAsync(Workspace workspace, bool wasConnected, CancellationToken ct)
    {
        if (wasConnected || workspace.ConnectionStatus != ConnectionStatus.Connected)
            return;
        try
        {
            await broadcasts.ResumeAsync(workspace.TenantId, workspace.Id, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The status change stands; the broadcasts stay paused and a person can still resume them.
            logger.LogWarning(ex, "Resuming the broadcasts of workspace {WorkspaceId} after its reconnect failed", workspace.Id);
        }
    }

    /// <summary>
    /// The monitoring pass: asks the gateway for every session's status, applies it, and restarts a Failed
    /// session when the policy allows (a limited number of times a day per workspace).
    /// </summary>
    public async Task<int> CheckAllAsync(CancellationToken ct = default)
    {
        List<(Guid Id, Guid TenantId)> workspaces;
        var now = clock.GetUtcNow();
        await using (var system = dbFactory.CreateSystem())
        {
            // Not the sessions the gateway does not know that the monitor gave up on, nor those it is backing off from.
            workspaces = (await system.Workspaces.AsNoTracking()
                .Where(w => w.ExternalSessionId != null && w.ConnectionStatus != ConnectionStatus.Disconnected
                            && w.MonitorStoppedAt == null && (w.MonitorNextCheckAt == null || w.MonitorNextCheckAt <= now))
                .Select(w => new { w.Id, w.TenantId })
                .ToListAsync(ct)).Select(w => (w.Id, w.TenantId)).ToList();
        }

        // Each tenant's connection policy is its licence tier's (else the default); read once per tenant per pass.
        var policyByTenant = new Dictionary<Guid, PolicySettings>();
        foreach (var (id, tenantId) in workspaces)
        {
            try
            {
                if (!policyByTenant.TryGetValue(tenantId, out var policy))
                    policyByTenant[tenantId] = policy = await policies.GetEffectiveAsync(tenantId, ct);
                await CheckOneAsync(tenantId, id, policy, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Session check of workspace {WorkspaceId} failed", id);
            }
        }
        return workspaces.Count;
    }

    private async Task CheckOneAsync(Guid tenantId, Guid workspaceId, PolicySettings policy, CancellationToken ct)
    {
        await using var db = dbFactory.CreateForTenant(tenantId);
        if (await db.Workspaces.FirstOrDefaultAsync(w => w.Id == workspaceId, ct) is not { ExternalSessionId: { } session } workspace)
            return;

        GatewaySessionInfo info;
        try
        {
            info = await gateway.GetSessionAsync(session, ct);
        }
        catch (GatewayException ex)
        {
            var now = clock.GetUtcNow();
            WorkspaceEvents.Add(db, workspace, WorkspaceEventKind.Error, "GetSession", ex.Message, now);
            // The gateway forgot the session (restarted without storage): the workspace is no longer connected.
            var wasUp = workspace.ConnectionStatus == ConnectionStatus.Connected;
            var lost = ex.StatusCode == 404 && Apply(db, workspace, GatewaySessionStatus.Stopped, null, "Monitor");
            if (ex.StatusCode == 404)
                lost |= GiveUpOrBackOff(db, workspace, policy, now);
            await db.SaveChangesAsync(ct);
            await PublishAsync(workspace, lost, GatewaySessionStatus.Stopped);
            await NotifyIfDroppedAsync(workspace, wasUp, ct);
            return;
        }

        var wasConnected = workspace.ConnectionStatus == ConnectionStatus.Connected;
        var changed = Apply(db, workspace, info.Status, info.Me, "Monitor");
        ResumeMonitoring(workspace);
        if (info.Status == GatewaySessionStatus.Failed && policy.AutoRestartFailedSessions)
            await AutoRestartAsync(db, workspace, session, policy, ct);
        await db.SaveChangesAsync(ct);
        await PublishAsync(workspace, changed, info.Status);
        await NotifyIfDroppedAsync(workspace, wasConnected, ct);
        await ResumeBroadcastsIfBackAsync(workspace, wasConnected, ct);
    }

    /// <summary>
    /// One more "unknown session" answer: the next check waits longer each time, and after the policy's limit the monitor
    /// stops asking and marks the workspace (the owner reconnects it). True when the workspace was marked now.
    /// </summary>
    private bool GiveUpOrBackOff(IKelolaDb db, Workspace workspace, PolicySettings policy, DateTimeOffset now)
    {
        workspace.UnknownSessionChecks++;
        if (workspace.UnknownSessionChecks < Math.Max(1, policy.MaxUnknownSessionChecks))
        {
            workspace.MonitorNextCheckAt = now + UnknownSessionBackoff(workspace.UnknownSessionChecks);
            return false;
        }
        workspace.MonitorNextCheckAt = null;
        workspace.MonitorStoppedAt = now;
        WorkspaceEvents.Add(db, workspace, WorkspaceEventKind.StatusChanged, "Monitor",
            $"The gateway does not know this session ({workspace.UnknownSessionChecks} checks in a row): monitoring stopped until it is connected again.", now);
        return true;
    }

    /// <summary>
    /// A connected workspace that stopped being connected: its owner hears of it once. The event key is the drop's time,
    /// so the monitor seeing the same state again sends nothing, and only a new drop (after a reconnect) is new.
    /// </summary>
    private async Task NotifyIfDroppedAsync(Workspace workspace, bool wasConnected, CancellationToken ct)
    {
        if (!wasConnected || workspace.ConnectionStatus == ConnectionStatus.Connected)
            return;
        try
        {
            await notifier.NotifyWorkspaceDisconnectedAsync(workspace.TenantId, workspace.Id, workspace.Name, workspace.StatusChangedAt ?? clock.GetUtcNow(), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A notification is a courtesy: the status change stands.
            logger.LogWarning(ex, "The disconnect notification of workspace {WorkspaceId} failed", workspace.Id);
        }
    }

    private async Task AutoRestartAsync(IKelolaDb db, Workspace workspace, string session, PolicySettings policy, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (workspace.RestartsDay != today)
        {
            workspace.RestartsDay = today;
            workspace.RestartsToday = 0;
        }
        if (workspace.RestartsToday >= policy.MaxReconnectsPerDay)
            return;
        workspace.RestartsToday++;
        try
        {
            await gateway.RestartSessionAsync(session, ct);
            WorkspaceEvents.Add(db, workspace, WorkspaceEventKind.AutoRestart, "RestartSession",
                $"Restarted automatically ({workspace.RestartsToday} of {policy.MaxReconnectsPerDay} today).", now);
        }
        catch (GatewayException ex)
        {
            WorkspaceEvents.Add(db, workspace, WorkspaceEventKind.Error, "RestartSession", ex.Message, now);
        }
    }

    /// <summary>Applies a status to the tracked workspace; true when the stored status changed.</summary>
    private bool Apply(IKelolaDb db, Workspace workspace, GatewaySessionStatus status, GatewayAccount? me, string operation)
    {
        var now = clock.GetUtcNow();
        var previous = workspace.ConnectionStatus;
        var next = ToConnectionStatus(status);
        if (next == ConnectionStatus.Connected)
        {
            if (me?.Phone is { } phone)
                workspace.PhoneNumber = "+" + phone;
            if (previous != ConnectionStatus.Connected || workspace.ConnectedAt is null)
                workspace.ConnectedAt = now;
            workspace.SessionMetadata = JsonSerializer.Serialize(new { session = workspace.ExternalSessionId, id = me?.Id, pushName = me?.PushName });
        }
        if (previous == next)
            return false;

        workspace.ConnectionStatus = next;
        workspace.StatusChangedAt = now;
        if (previous == ConnectionStatus.Connected)
            WorkspaceEvents.Add(db, workspace, WorkspaceEventKind.Dropped, operation, $"Connection lost: the session is {next}.", now);
        else if (next == ConnectionStatus.Connected)
            WorkspaceEvents.Add(db, workspace, WorkspaceEventKind.Reconnected, operation, $"Connected as {workspace.PhoneNumber}.", now);
        return true;
    }

    private async Task PublishAsync(Workspace workspace, bool changed, GatewaySessionStatus status)
    {
        if (changed)
            await bus.PublishAsync(Topics.Tenant(workspace.TenantId), new WorkspaceStatusChanged(workspace.TenantId, workspace.Id, workspace.ConnectionStatus));
        // Every SCAN_QR_CODE means a new code (it rotates), even when the status stays the same.
        if (status == GatewaySessionStatus.ScanQr)
            await bus.PublishAsync(Topics.Tenant(workspace.TenantId), new WorkspaceQrChanged(workspace.TenantId, workspace.Id));
    }
}
