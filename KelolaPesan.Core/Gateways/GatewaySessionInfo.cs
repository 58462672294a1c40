namespace KelolaPesan.Core.Gateways;

/// <param name="Me">The paired account, known once the session has been Working.</param>
public sealed record GatewaySessionInfo(string Name, GatewaySessionStatus Status, GatewayAccount? Me);
