namespace KelolaPesan.Core.Gateways;

/// <summary>
/// Where gateway events go: the WAHA webhook endpoint and the simulator both feed this one
/// path, so simulated customers exercise the same processing as real ones. Implementations
/// must be idempotent: events can arrive twice, late or out of order.
/// </summary>
public interface IGatewayEventSink
{
    Task OnEventAsync(GatewayEvent evt, CancellationToken ct);
}
