namespace KelolaPesan.Core.Gateways;

public enum GatewaySessionStatus
{
    Stopped,
    Starting,
    ScanQr,
    Working,
    Failed,
}
