namespace KelolaPesan.Core.Gateways;

/// <param name="Name">The gateway session name, one per workspace.</param>
/// <param name="Metadata">Echoed back on every webhook (tenantId, workspaceId) so events can be routed without a lookup.</param>
/// <param name="WebhookUrl">Where the gateway posts its events.</param>
/// <param name="WebhookHmacKey">The key the gateway signs webhook bodies with.</param>
public sealed record GatewaySessionSetup(
    string Name,
    IReadOnlyDictionary<string, string> Metadata,
    string WebhookUrl,
    string WebhookHmacKey);
