using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KelolaPesan.Web.Workspaces;

/// <summary>
/// The simulator keeps its sessions in memory: after a restart, workspaces that were connected through it are
/// paired again with their stored number, so the demo (and anyone trying the product) can chat at once.
/// </summary>
public sealed class SimulatorSessionRestorer(IServiceScopeFactory scopes, IOptions<GatewayOptions> options, ILogger<SimulatorSessionRestorer> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Kind != GatewayKind.Simulator)
            return;
        await using var scope = scopes.CreateAsyncScope();
        var simulator = scope.ServiceProvider.GetRequiredService<SimulatorGateway>();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        var connected = await db.Workspaces.AsNoTracking()
            .Where(w => w.ConnectionStatus == ConnectionStatus.Connected && w.ExternalSessionId != null && w.PhoneNumber != null)
            .ToListAsync(cancellationToken);
        foreach (var workspace in connected)
        {
            var setup = new GatewaySessionSetup(workspace.ExternalSessionId!,
                new Dictionary<string, string> { ["tenantId"] = workspace.TenantId.ToString(), ["workspaceId"] = workspace.Id.ToString() },
                "", "");
            await simulator.RestoreConnectedAsync(setup, workspace.PhoneNumber!, workspace.Name, cancellationToken);
        }
        if (connected.Count > 0)
            logger.LogInformation("Simulator: {Count} connected workspaces paired again", connected.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
